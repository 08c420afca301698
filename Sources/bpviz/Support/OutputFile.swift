import Foundation
import Rendering

/// Writes an output: `-` is stdout; anything else goes through `OutputFile` (atomic for
/// regular files, direct for devices and pipes, the system's reason on failure).
func writeAtomically(_ data: Data, to path: String) throws {
    if path == "-" {
        try OutputFile.writeStandardOutput(data)
        return
    }
    try OutputFile.write(data, to: path)
}
