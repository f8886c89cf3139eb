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

/// Activation timestamps of Cancun, Prague and Osaka on the networks zkos knows, by chain id
/// (the upgrade schedules of `ethereum/execution-specs` `src/ethereum/forks/{cancun, prague,
/// osaka}/__init__.py`; Hoodi ran Cancun from genesis, `cancunTime: 0` in
/// `eth-clients/hoodi` `metadata/genesis.json`).
pub const KNOWN_HARDFORKS: &[(u64, [u64; 3])] = &[
    // Ethereum mainnet.
    (1, [1_710_338_135, 1_746_612_311, 1_764_798_551]),
    // Sepolia.
    (11_155_111, [1_706_655_072, 1_741_159_776, 1_760_427_360]),
    // Hoodi.
    (560_048, [0, 1_742_999_832, 1_761_677_592]),
    // Holesky.
    (17_000, [1_707_305_664, 1_740_434_112, 1_759_308_480]),
];

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

    /// The flow an engine forking chain `chain_id` runs unless told otherwise: the Ethereum
    /// flow for an Ethereum network zkos knows ([`KNOWN_HARDFORKS`]: a fork answers as that
    /// chain's own nodes would), the ZKsync OS flow for any other chain.
    pub fn of_forked_chain(chain_id: u64) -> FlowKind {
        if KNOWN_HARDFORKS.iter().any(|(id, _)| *id == chain_id) {
            FlowKind::Ethereum
        } else {
            FlowKind::Zk
        }
    }

    /// The hardfork an engine forking block at `timestamp` of chain `chain_id` runs unless
    /// told otherwise: in the Ethereum flow, for a network zkos knows ([`KNOWN_HARDFORKS`]),
    /// the one active at that block (Cancun for a block before Cancun: zkos has no earlier
    /// rules); otherwise [`FlowKind::default_hardfork`].
    pub fn fork_hardfork(self, chain_id: u64, timestamp: u64) -> Hardfork {
        let known = KNOWN_HARDFORKS.iter().find(|(id, _)| *id == chain_id);
        match (self, known) {
            (FlowKind::Ethereum, Some((_, [_, prague, osaka]))) => {
                if timestamp >= *osaka {
                    Hardfork::Osaka
                } else if timestamp >= *prague {
                    Hardfork::Prague
                } else {
                    Hardfork::Cancun
                }
            }
            _ => self.default_hardfork(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fork_runs_the_hardfork_of_its_block() {
        let eth = FlowKind::Ethereum;
        // Mainnet: Prague from 1746612311, Osaka from 1764798551.
        assert_eq!(FlowKind::of_forked_chain(1), FlowKind::Ethereum);
        assert_eq!(FlowKind::of_forked_chain(560_048), FlowKind::Ethereum);
        assert_eq!(FlowKind::of_forked_chain(324), FlowKind::Zk);
        assert_eq!(FlowKind::of_forked_chain(270), FlowKind::Zk);
        assert_eq!(eth.fork_hardfork(1, 1_746_612_310), Hardfork::Cancun);
        assert_eq!(eth.fork_hardfork(1, 1_746_612_311), Hardfork::Prague);
        assert_eq!(eth.fork_hardfork(1, 1_764_798_550), Hardfork::Prague);
        assert_eq!(eth.fork_hardfork(1, 1_764_798_551), Hardfork::Osaka);
        // Before Cancun: the earliest rules zkos has.
        assert_eq!(eth.fork_hardfork(1, 1_600_000_000), Hardfork::Cancun);
        assert_eq!(
            eth.fork_hardfork(11_155_111, 1_760_427_359),
            Hardfork::Prague
        );
        assert_eq!(eth.fork_hardfork(560_048, 1_742_999_831), Hardfork::Cancun);
        // Unknown chains and the ZKsync OS flow keep the flow's default.
        assert_eq!(eth.fork_hardfork(31_337, 0), Hardfork::Osaka);
        assert_eq!(FlowKind::Zk.fork_hardfork(1, u64::MAX), Hardfork::Cancun);
    }
}
