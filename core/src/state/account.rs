//! Account properties: the 124-byte record whose blake2s hash the tree stores per address, and the
//! bytecode preimage (`code ‖ zero padding ‖ artifacts`) that `bytecode_hash` commits to.

use alloc::vec::Vec;

use crate::primitives::{blake2s256, keccak256, B256, U256};

/// Length of the encoded account properties record in bytes.
pub const ACCOUNT_PROPERTIES_ENCODED_LEN_BYTES: usize = 124;

/// Code in a bytecode preimage is zero-padded to a multiple of this many bytes before the artifacts.
pub const BYTECODE_ALIGNMENT_BYTES: usize = crate::bytecode::preimage::ALIGNMENT_BYTES;

/// Deployment-status byte of an account that has no deployed code.
pub const DEPLOYMENT_STATUS_NOT_DEPLOYED: u8 = 0;
/// Deployment-status byte of an account with deployed code.
pub const DEPLOYMENT_STATUS_DEPLOYED: u8 = 1;

/// EE-type byte of an account that belongs to no execution environment (no code).
pub const EE_TYPE_NONE: u8 = 0;
/// EE-type byte of an EVM contract.
pub const EE_TYPE_EVM: u8 = 1;

/// Code-version byte: the preimage holds no artifacts.
pub const CODE_VERSION_NO_ARTIFACTS: u8 = 0;
/// Code-version byte: the jumpdest bitmap is cached in the bytecode preimage.
pub const CODE_VERSION_ARTIFACTS_IN_PREIMAGE: u8 = 1;
/// Code-version byte: artifacts come from the block code cache but are charged as if computed.
pub const CODE_VERSION_ARTIFACTS_FROM_BLOCK_CACHE: u8 = 2;

/// Byte position (0 = least significant) of the deployment status in the versioning data.
pub const DEPLOYMENT_STATUS_BYTE_POSITION: u32 = 7;
/// Byte position of the execution-environment type in the versioning data.
pub const EE_TYPE_BYTE_POSITION: u32 = 6;
/// Byte position of the code version in the versioning data.
pub const CODE_VERSION_BYTE_POSITION: u32 = 5;
/// Byte position of the system auxiliary bitmask in the versioning data.
pub const SYSTEM_AUX_BITMASK_BYTE_POSITION: u32 = 4;
/// Byte position of the EE auxiliary bitmask in the versioning data.
pub const EE_AUX_BITMASK_BYTE_POSITION: u32 = 3;

/// Errors from decoding account properties or building their code fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountError {
    /// The encoded record does not have exactly 124 bytes.
    WrongLength {
        /// Required length (124).
        expected: usize,
        /// Length that was given.
        got: usize,
    },
    /// Code, artifacts or the whole preimage do not fit a `u32` length field.
    CodeTooLong,
}

/// The packed `u64` of version bytes at the front of the account record (byte 7 is the most
/// significant): deployment status, EE type, code version, system aux bitmask, EE aux bitmask.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct VersioningData(pub u64);

impl VersioningData {
    /// The byte at `position` (0 = least significant, 7 = most significant).
    pub const fn byte(self, position: u32) -> u8 {
        (self.0 >> (position * 8)) as u8
    }

    /// This value with the byte at `position` replaced by `value`.
    pub const fn with_byte(self, position: u32, value: u8) -> Self {
        let shift = position * 8;
        Self((self.0 & !(0xffu64 << shift)) | ((value as u64) << shift))
    }

    /// Deployment status (byte 7).
    pub const fn deployment_status(self) -> u8 {
        self.byte(DEPLOYMENT_STATUS_BYTE_POSITION)
    }

    /// Whether the deployment status says the account has deployed code.
    pub const fn is_deployed(self) -> bool {
        self.deployment_status() == DEPLOYMENT_STATUS_DEPLOYED
    }

    /// Execution-environment type (byte 6).
    pub const fn ee_type(self) -> u8 {
        self.byte(EE_TYPE_BYTE_POSITION)
    }

    /// Code version (byte 5).
    pub const fn code_version(self) -> u8 {
        self.byte(CODE_VERSION_BYTE_POSITION)
    }

    /// System auxiliary bitmask (byte 4).
    pub const fn system_aux_bitmask(self) -> u8 {
        self.byte(SYSTEM_AUX_BITMASK_BYTE_POSITION)
    }

    /// EE auxiliary bitmask (byte 3).
    pub const fn ee_aux_bitmask(self) -> u8 {
        self.byte(EE_AUX_BITMASK_BYTE_POSITION)
    }

    /// This value with the deployment status set.
    pub const fn with_deployment_status(self, value: u8) -> Self {
        self.with_byte(DEPLOYMENT_STATUS_BYTE_POSITION, value)
    }

    /// This value with the EE type set.
    pub const fn with_ee_type(self, value: u8) -> Self {
        self.with_byte(EE_TYPE_BYTE_POSITION, value)
    }

    /// This value with the code version set.
    pub const fn with_code_version(self, value: u8) -> Self {
        self.with_byte(CODE_VERSION_BYTE_POSITION, value)
    }

    /// This value with the system auxiliary bitmask set.
    pub const fn with_system_aux_bitmask(self, value: u8) -> Self {
        self.with_byte(SYSTEM_AUX_BITMASK_BYTE_POSITION, value)
    }

    /// This value with the EE auxiliary bitmask set.
    pub const fn with_ee_aux_bitmask(self, value: u8) -> Self {
        self.with_byte(EE_AUX_BITMASK_BYTE_POSITION, value)
    }
}

/// The account record stored (as its blake2s hash) in the state tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccountProperties {
    /// Packed version bytes.
    pub versioning_data: VersioningData,
    /// Account nonce.
    pub nonce: u64,
    /// Balance in wei.
    pub balance: U256,
    /// blake2s of the bytecode preimage (code ‖ padding ‖ artifacts); zero when there is no code.
    pub bytecode_hash: B256,
    /// Length of the code without padding or artifacts.
    pub bytecode_len: u32,
    /// Length of the artifacts (jumpdest bitmap) in the preimage.
    pub artifacts_len: u32,
    /// keccak256 of the code as EVM contracts see it (EXTCODEHASH).
    pub observable_bytecode_hash: B256,
    /// Length of the code as EVM contracts see it (EXTCODESIZE).
    pub observable_bytecode_len: u32,
}

impl AccountProperties {
    /// The 124-byte big-endian encoding.
    pub fn encode(&self) -> [u8; ACCOUNT_PROPERTIES_ENCODED_LEN_BYTES] {
        let mut out = [0u8; ACCOUNT_PROPERTIES_ENCODED_LEN_BYTES];
        out[0..8].copy_from_slice(&self.versioning_data.0.to_be_bytes());
        out[8..16].copy_from_slice(&self.nonce.to_be_bytes());
        out[16..48].copy_from_slice(&self.balance.to_be_bytes::<32>());
        out[48..80].copy_from_slice(self.bytecode_hash.as_slice());
        out[80..84].copy_from_slice(&self.bytecode_len.to_be_bytes());
        out[84..88].copy_from_slice(&self.artifacts_len.to_be_bytes());
        out[88..120].copy_from_slice(self.observable_bytecode_hash.as_slice());
        out[120..124].copy_from_slice(&self.observable_bytecode_len.to_be_bytes());
        out
    }

    /// Decodes a 124-byte record; any other length is an error.
    pub fn decode(bytes: &[u8]) -> Result<Self, AccountError> {
        let record: &[u8; ACCOUNT_PROPERTIES_ENCODED_LEN_BYTES] =
            bytes.try_into().map_err(|_| AccountError::WrongLength {
                expected: ACCOUNT_PROPERTIES_ENCODED_LEN_BYTES,
                got: bytes.len(),
            })?;
        Ok(Self {
            versioning_data: VersioningData(u64::from_be_bytes(field(record, 0))),
            nonce: u64::from_be_bytes(field(record, 8)),
            balance: U256::from_be_bytes(field::<32>(record, 16)),
            bytecode_hash: B256::new(field(record, 48)),
            bytecode_len: u32::from_be_bytes(field(record, 80)),
            artifacts_len: u32::from_be_bytes(field(record, 84)),
            observable_bytecode_hash: B256::new(field(record, 88)),
            observable_bytecode_len: u32::from_be_bytes(field(record, 120)),
        })
    }

    /// blake2s of the encoding: the value the tree stores for this account.
    pub fn hash(&self) -> B256 {
        blake2s256(&self.encode())
    }

    /// Empty in the EIP-161 sense: nonce 0, balance 0 and no code.
    pub fn is_empty(&self) -> bool {
        self.nonce == 0 && self.balance.is_zero() && self.bytecode_len == 0
    }

    /// Fills the five code fields for `code` with `artifacts` cached after it, and returns the
    /// bytecode preimage that `bytecode_hash` commits to. Version bytes are left unchanged.
    pub fn set_code(&mut self, code: &[u8], artifacts: &[u8]) -> Result<Vec<u8>, AccountError> {
        self.set_code_hashed(code, keccak256(code), artifacts)
    }

    /// [`Self::set_code`] for `code` whose keccak hash is known to be `code_hash`.
    fn set_code_hashed(
        &mut self,
        code: &[u8],
        code_hash: B256,
        artifacts: &[u8],
    ) -> Result<Vec<u8>, AccountError> {
        let code_len = u32::try_from(code.len()).map_err(|_| AccountError::CodeTooLong)?;
        let artifacts_len =
            u32::try_from(artifacts.len()).map_err(|_| AccountError::CodeTooLong)?;
        let preimage = bytecode_preimage(code, artifacts);
        u32::try_from(preimage.len()).map_err(|_| AccountError::CodeTooLong)?;
        self.bytecode_hash = blake2s256(&preimage);
        self.bytecode_len = code_len;
        self.artifacts_len = artifacts_len;
        self.observable_bytecode_hash = code_hash;
        self.observable_bytecode_len = code_len;
        Ok(preimage)
    }

    /// Deploys EVM `code`: computes its jumpdest bitmap, fills the code fields through
    /// [`Self::set_code`], and marks the account deployed, EE type EVM, code version
    /// "artifacts in preimage". Returns the bytecode preimage.
    pub fn deploy_evm_code(&mut self, code: &[u8]) -> Result<Vec<u8>, AccountError> {
        self.deploy_evm_code_hashed(code, keccak256(code))
    }

    /// [`Self::deploy_evm_code`] for `code` whose keccak hash is known to be `code_hash` (the
    /// one its deployment computed and paid for).
    pub fn deploy_evm_code_hashed(
        &mut self,
        code: &[u8],
        code_hash: B256,
    ) -> Result<Vec<u8>, AccountError> {
        let preimage = self.set_code_hashed(code, code_hash, &jumpdest_bitmap(code))?;
        self.versioning_data = self
            .versioning_data
            .with_deployment_status(DEPLOYMENT_STATUS_DEPLOYED)
            .with_ee_type(EE_TYPE_EVM)
            .with_code_version(CODE_VERSION_ARTIFACTS_IN_PREIMAGE);
        Ok(preimage)
    }
}

/// The `N` bytes of `record` starting at `start` (all offsets used are within the record).
fn field<const N: usize>(
    record: &[u8; ACCOUNT_PROPERTIES_ENCODED_LEN_BYTES],
    start: usize,
) -> [u8; N] {
    let mut out = [0u8; N];
    if let Some(bytes) = record.get(start..start + N) {
        out.copy_from_slice(bytes);
    }
    out
}

/// Number of zero bytes that pad `code_len` bytes of code up to a multiple of 8.
pub const fn bytecode_padding_len_bytes(code_len: usize) -> usize {
    crate::bytecode::preimage::padding_len_bytes(code_len)
}

/// The bytecode preimage: `code ‖ zero padding to a multiple of 8 bytes ‖ artifacts`.
pub fn bytecode_preimage(code: &[u8], artifacts: &[u8]) -> Vec<u8> {
    let padding = bytecode_padding_len_bytes(code.len());
    let mut out = Vec::with_capacity(code.len() + padding + artifacts.len());
    out.extend_from_slice(code);
    out.resize(code.len() + padding, 0);
    out.extend_from_slice(artifacts);
    out
}

/// The jumpdest bitmap of EVM `code`: one bit per code byte, bit `i % 8` (LSB first) of byte
/// `i / 8` set when `code[i]` is a JUMPDEST opcode (not inside PUSH immediate data).
pub fn jumpdest_bitmap(code: &[u8]) -> Vec<u8> {
    crate::bytecode::JumpTable::analyze(code)
        .as_bytes()
        .to_vec()
}

/// The artifacts protocol version 2 stores for `code`: its [`jumpdest_bitmap`] zero-padded to
/// [`crate::bytecode::preimage::artifacts_len_v2`] bytes (the upstream bitmap's words in little-endian byte order).
pub fn jumpdest_bitmap_in_words(code: &[u8]) -> Vec<u8> {
    let mut bitmap = jumpdest_bitmap(code);
    bitmap.resize(crate::bytecode::preimage::artifacts_len_v2(code.len()), 0);
    bitmap
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::primitives::{b256, hex};

    fn sample() -> AccountProperties {
        AccountProperties {
            versioning_data: VersioningData(0x0102_0304_0506_0708),
            nonce: 0x1112_1314_1516_1718,
            balance: U256::from(0xdead_beefu64),
            bytecode_hash: B256::repeat_byte(0xaa),
            bytecode_len: 0x2122_2324,
            artifacts_len: 0x3132_3334,
            observable_bytecode_hash: B256::repeat_byte(0xbb),
            observable_bytecode_len: 0x4142_4344,
        }
    }

    #[test]
    fn encoding_matches_hand_laid_bytes_and_round_trips() {
        let mut expected = Vec::new();
        expected.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        expected.extend_from_slice(&[0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]);
        expected.extend_from_slice(&[0u8; 28]);
        expected.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
        expected.extend_from_slice(&[0xaa; 32]);
        expected.extend_from_slice(&[0x21, 0x22, 0x23, 0x24]);
        expected.extend_from_slice(&[0x31, 0x32, 0x33, 0x34]);
        expected.extend_from_slice(&[0xbb; 32]);
        expected.extend_from_slice(&[0x41, 0x42, 0x43, 0x44]);
        assert_eq!(expected.len(), 124);

        let account = sample();
        assert_eq!(account.encode().as_slice(), expected.as_slice());
        assert_eq!(AccountProperties::decode(&expected), Ok(account));
        assert_eq!(account.hash(), blake2s256(&expected));
    }

    #[test]
    fn decode_rejects_wrong_lengths() {
        let bytes = sample().encode();
        assert_eq!(
            AccountProperties::decode(&bytes[..123]),
            Err(AccountError::WrongLength {
                expected: 124,
                got: 123
            })
        );
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert_eq!(
            AccountProperties::decode(&longer),
            Err(AccountError::WrongLength {
                expected: 124,
                got: 125
            })
        );
    }

    #[test]
    fn versioning_bytes_sit_at_their_positions() {
        // 0x0102030405060708: byte 7 (MSB) = 1, byte 6 = 2, byte 5 = 3, byte 4 = 4, byte 3 = 5.
        let v = sample().versioning_data;
        assert_eq!(v.deployment_status(), 1);
        assert!(v.is_deployed());
        assert_eq!(v.ee_type(), 2);
        assert_eq!(v.code_version(), 3);
        assert_eq!(v.system_aux_bitmask(), 4);
        assert_eq!(v.ee_aux_bitmask(), 5);

        let built = VersioningData::default()
            .with_deployment_status(DEPLOYMENT_STATUS_DEPLOYED)
            .with_ee_type(EE_TYPE_EVM)
            .with_code_version(CODE_VERSION_ARTIFACTS_FROM_BLOCK_CACHE)
            .with_system_aux_bitmask(0x80)
            .with_ee_aux_bitmask(0x40);
        assert_eq!(built.0, 0x0101_0280_4000_0000);
        assert_eq!(built.with_ee_type(EE_TYPE_NONE).0, 0x0100_0280_4000_0000);
        assert!(!VersioningData::default().is_deployed());
    }

    #[test]
    fn emptiness_follows_eip161() {
        let mut account = AccountProperties::default();
        assert!(account.is_empty());
        account.nonce = 1;
        assert!(!account.is_empty());
        account.nonce = 0;
        account.balance = U256::from(1u8);
        assert!(!account.is_empty());
        account.balance = U256::ZERO;
        account.deploy_evm_code(&[0x00]).unwrap();
        assert!(!account.is_empty());
    }

    #[test]
    fn jumpdest_bitmap_skips_push_data() {
        // pc0 JUMPDEST | pc1 PUSH2 5b 5b (data, pc2..3) | pc4 JUMPDEST | pc5 PUSH0 | pc6 JUMPDEST
        // | pc7 PUSH1 5b (data, pc8) | pc9 JUMPDEST
        let code = hex!("5b 61 5b5b 5b 5f 5b 60 5b 5b");
        // valid: 0, 4, 6 -> byte0 = 0b0101_0001 = 0x51; 9 -> byte1 bit1 = 0x02.
        assert_eq!(jumpdest_bitmap(&code), [0x51, 0x02]);
        // Truncated PUSH32 at the end: its missing data must not panic or mark anything.
        assert_eq!(jumpdest_bitmap(&hex!("5b 7f 5b")), [0x01]);
        assert!(jumpdest_bitmap(&[]).is_empty());
    }

    #[test]
    fn preimage_pads_code_to_eight_bytes_before_artifacts() {
        assert_eq!(
            bytecode_preimage(&[1, 2, 3], &[0xff]),
            [1, 2, 3, 0, 0, 0, 0, 0, 0xff]
        );
        assert_eq!(
            bytecode_preimage(&[7; 8], &[9]),
            [7, 7, 7, 7, 7, 7, 7, 7, 9]
        );
        assert_eq!(bytecode_padding_len_bytes(0), 0);
        assert_eq!(bytecode_padding_len_bytes(9), 7);
    }

    #[test]
    fn deploying_evm_code_fills_code_fields() {
        // Code 0x5b00 (JUMPDEST, STOP): bitmap [0x01]; preimage 5b 00 ‖ six zeros ‖ 01.
        let code = hex!("5b00");
        let mut account = AccountProperties {
            nonce: 1,
            ..Default::default()
        };
        let preimage = account.deploy_evm_code(&code).unwrap();
        assert_eq!(preimage, hex!("5b00000000000000 01"));
        // blake2s-256 of 5b00000000000000 01, computed with Python's hashlib.blake2s.
        assert_eq!(
            account.bytecode_hash,
            b256!("ffdacd87b5a18456016b4bc8e5a5757ab97188269811df101ce69c1279b945b8")
        );
        assert_eq!(account.bytecode_len, 2);
        assert_eq!(account.artifacts_len, 1);
        assert_eq!(account.observable_bytecode_len, 2);
        // keccak256 itself is checked against published vectors in `primitives`.
        assert_eq!(account.observable_bytecode_hash, keccak256(&code));
        assert_eq!(account.versioning_data.0, 0x0101_0100_0000_0000);
        assert_eq!(account.nonce, 1);
    }
}
