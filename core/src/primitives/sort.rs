//! [`sort_by_key`]: an in-place heap sort. The standard library's sorts are fast but large
//! (each element type gets several kilobytes of wasm); the few sorts the engine does are off
//! the hot path (a block's state diffs, a chain's account list), where a heap sort's
//! `O(n log n)` comparisons and its few hundred bytes per element type are the better trade.

/// Sorts `items` by `key`, smallest first. Not stable: items with equal keys end in any order.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let len = items.len();
    for start in (0..len / 2).rev() {
        sift_down(items, start, len, &key);
    }
    for end in (1..len).rev() {
        items.swap(0, end);
        sift_down(items, 0, end, &key);
    }
}

/// Moves `items[root]` down the max-heap `items[..end]` until both its children are smaller.
fn sift_down<T, K: Ord>(items: &mut [T], mut root: usize, end: usize, key: &impl Fn(&T) -> K) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && key(&items[child + 1]) > key(&items[child]) {
            child += 1;
        }
        if key(&items[root]) >= key(&items[child]) {
            return;
        }
        items.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::sort_by_key;
    use alloc::vec::Vec;

    /// Every length up to 40 and a longer one, with repeated keys, against the standard sort.
    #[test]
    fn sorts_like_the_standard_library() {
        let mut seed = 0x2545_f491_u32;
        let mut next = || {
            // xorshift32: an arbitrary but fixed sequence of inputs.
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % 50
        };
        for len in (0..=40).chain([1000]) {
            let input: Vec<u32> = (0..len).map(|_| next()).collect();
            let mut ours = input.clone();
            sort_by_key(&mut ours, |v| *v);
            let mut expected = input;
            expected.sort();
            assert_eq!(ours, expected, "length {len}");
        }
        let mut pairs = [(3, 'c'), (1, 'a'), (2, 'b')];
        sort_by_key(&mut pairs, |p| core::cmp::Reverse(p.0));
        assert_eq!(pairs, [(3, 'c'), (2, 'b'), (1, 'a')]);
    }
}
