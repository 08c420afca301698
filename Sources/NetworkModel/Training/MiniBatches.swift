/// Which samples each training step uses. Full batch: every sample, in file order, every
/// step. Mini-batches of size B: each epoch the samples are shuffled and cut into
/// consecutive batches of B (the last one of an epoch smaller when B does not divide n, as
/// PyTorch's DataLoader without `drop_last`).
///
/// The shuffle is Fisher–Yates driven by `SeededRandom` (SplitMix64) seeded with `seed`:
/// for i = n−1 down to 1, j = ⌊u·(i+1)⌋ with u the generator's next uniform double in
/// [0, 1), then swap i and j. Integer and IEEE arithmetic only, so a seed gives the same
/// batches on every platform.
package struct MiniBatches: Sendable {
    package let count: Int
    package let size: Int
    private var rng: SeededRandom
    private var order: [Int] = []
    private var position = 0

    /// `size` nil or at least `count`: full batch.
    package init(count: Int, size: Int?, seed: UInt64) {
        self.count = count
        self.size = min(size ?? count, count)
        rng = SeededRandom(seed: seed)
    }

    package var isFullBatch: Bool { size >= count }

    /// The 0-based sample indices of the next step's batch.
    package mutating func next() -> [Int] {
        if isFullBatch { return Array(0..<count) }
        if position >= order.count {
            order = Array(0..<count)
            var i = count - 1
            while i > 0 {
                let j = Int(rng.nextUnit() * Double(i + 1))
                order.swapAt(i, j)
                i -= 1
            }
            position = 0
        }
        let end = min(position + size, order.count)
        defer { position = end }
        return Array(order[position..<end])
    }
}
