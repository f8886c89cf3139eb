//! Chain configuration: which rules (flow, hardfork, protocol version) a run follows.

/// Ethereum hardfork whose EVM semantics apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hardfork {
    /// Cancun (the ZKsync OS baseline).
    Cancun,
    /// Prague: EIP-7702, EIP-7623, EIP-7691 blob schedule, EIP-2935 block-hash history.
    Prague,
    /// Osaka: CLZ (EIP-7939), EIP-7825 transaction gas cap, EIP-7594 blobs per transaction,
    /// EIP-7918 blob base fee bound, EIP-7883/EIP-7823 modexp, P256VERIFY (EIP-7951).
    Osaka,
}

/// Which transaction flow (block and transaction rules) the bootloader follows; the
/// bootloader turns it into its `Flow` implementation in one place (`ChainFlow::of`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlowKind {
    /// ZKsync OS: fees to the coinbase, native limit, pubdata, kernel space below 0x10000.
    Zk,
    /// Ethereum: base fee burnt, no pubdata, unlimited native.
    Ethereum,
}

/// Version of the ZKsync OS protocol: selects the native cost table and the rules of the ZKsync
/// OS flow (intrinsic costs, the account and storage charging model, pubdata, the block
/// header).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProtocolVersion {
    /// The 2026 cost model ("\[new\]" in the spec).
    V1,
    /// ZKsync OS as built: the production features of the upstream snapshot
    /// ADI-Foundation-Labs/ADI-Stack-zkOS @ 8035ac6f (`zksync-os-oracle` runs it), whose
    /// figures the oracle differential test checks.
    V2,
}

impl ProtocolVersion {
    /// Every version, oldest first.
    pub const ALL: [ProtocolVersion; 2] = [ProtocolVersion::V1, ProtocolVersion::V2];
    /// The version new ZKsync OS chains run: upstream ZKsync OS as built.
    pub const DEFAULT: ProtocolVersion = ProtocolVersion::V2;

    /// The version's number (1, 2).
    pub const fn number(self) -> u8 {
        match self {
            ProtocolVersion::V1 => 1,
            ProtocolVersion::V2 => 2,
        }
    }

    /// The version numbered `number`, if there is one.
    pub const fn from_number(number: u64) -> Option<ProtocolVersion> {
        match number {
            1 => Some(ProtocolVersion::V1),
            2 => Some(ProtocolVersion::V2),
            _ => None,
        }
    }
}

/// Everything about the chain that stays fixed across blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainConfig {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Block and transaction rules.
    pub flow: FlowKind,
    /// EVM semantics.
    pub hardfork: Hardfork,
    /// Native cost table.
    pub protocol_version: ProtocolVersion,
}

impl FlowKind {
    /// The hardfork a chain of this flow runs unless told otherwise: the one its network runs.
    /// Ethereum mainnet runs Osaka (since 2025-12-03); ZKsync OS's production build runs Cancun
    /// (its `pectra` feature, which would add Prague's rules, is off: `shared/oracle/README.md`).
    pub const fn default_hardfork(self) -> Hardfork {
        match self {
            FlowKind::Zk => Hardfork::Cancun,
            FlowKind::Ethereum => Hardfork::Osaka,
        }
    }

    /// The protocol version a chain of this flow runs unless told otherwise: ZKsync OS chains
    /// [`ProtocolVersion::DEFAULT`]; Ethereum chains version 1, whose native table counts
    /// native there (nothing else of a version applies to the Ethereum flow).
    pub const fn default_protocol_version(self) -> ProtocolVersion {
        match self {
            FlowKind::Zk => ProtocolVersion::DEFAULT,
            FlowKind::Ethereum => ProtocolVersion::V1,
        }
    }

    /// Whether a chain of this flow can run protocol `version`: any version in the ZKsync OS
    /// flow; only version 1 in the Ethereum flow (version 2's header rules, such as its fixed
    /// mix hash, are ZKsync OS's and would break Ethereum's `PREVRANDAO`).
    pub const fn runs(self, version: ProtocolVersion) -> bool {
        match self {
            FlowKind::Zk => true,
            FlowKind::Ethereum => matches!(version, ProtocolVersion::V1),
        }
    }
}

impl ChainConfig {
    /// A ZKsync OS chain on the default protocol version ([`ProtocolVersion::DEFAULT`], Cancun
    /// EVM).
    pub const fn zk(chain_id: u64) -> Self {
        Self::zk_at(chain_id, ProtocolVersion::DEFAULT)
    }

    /// A ZKsync OS chain on protocol `version` (Cancun EVM).
    pub const fn zk_at(chain_id: u64, version: ProtocolVersion) -> Self {
        Self {
            chain_id,
            flow: FlowKind::Zk,
            hardfork: FlowKind::Zk.default_hardfork(),
            protocol_version: version,
        }
    }

    /// An Ethereum chain at `hardfork`.
    pub const fn ethereum(chain_id: u64, hardfork: Hardfork) -> Self {
        Self {
            chain_id,
            flow: FlowKind::Ethereum,
            hardfork,
            protocol_version: FlowKind::Ethereum.default_protocol_version(),
        }
    }

    /// Whether `hardfork` (or a later one) is active.
    pub fn is_active(&self, hardfork: Hardfork) -> bool {
        self.hardfork >= hardfork
    }
}
