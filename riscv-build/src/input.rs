//! Reading the little-endian input blob.

/// Why the input could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The blob ends before a field does.
    Truncated,
    /// Bytes are left after the last field.
    TrailingBytes,
    /// The input region's length word is larger than the region.
    TooLong,
}

/// A cursor over the input bytes.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], InputError> {
        if n > self.bytes.len() {
            return Err(InputError::Truncated);
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    /// The next `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], InputError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// A little-endian `u32`.
    pub fn u32(&mut self) -> Result<u32, InputError> {
        self.array().map(u32::from_le_bytes)
    }

    /// A little-endian `u64`.
    pub fn u64(&mut self) -> Result<u64, InputError> {
        self.array().map(u64::from_le_bytes)
    }

    /// A `u32` LE length followed by that many bytes.
    pub fn prefixed(&mut self) -> Result<&'a [u8], InputError> {
        let len = self.u32()? as usize;
        self.take(len)
    }

    /// Succeeds when every byte has been read.
    pub fn finish(self) -> Result<(), InputError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(InputError::TrailingBytes)
        }
    }
}
