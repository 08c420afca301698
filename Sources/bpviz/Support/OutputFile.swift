import Foundation

/// Writes a file so that readers see either the old file or the whole new one, never a
/// partial one: write a temporary file beside the target, then rename it over the target.
func writeAtomically(_ data: Data, to path: String) throws {
    if path == "-" {
        FileHandle.standardOutput.write(data)
        return
    }
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw UsageFailure("\(path): the directory \(directory) does not exist; expected an output path in an existing directory")
    }
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        throw UsageFailure("\(path): is a directory; expected a file path for the output")
    }
    let temporary = directory + "/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    guard FileManager.default.createFile(atPath: temporary, contents: data) else {
        throw UsageFailure("\(path): cannot write in \(directory) (read-only or no permission?); expected a writable output directory")
    }
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw UsageFailure("\(path): cannot replace the file (\(reason)); expected a writable output path")
    }
}
