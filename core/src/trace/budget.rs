//! How much a collecting tracer may keep: a budget of records and of bytes, and the meter the
//! tracers charge before they keep anything. A tracer whose budget runs out stops recording
//! and reports it; the engine then stops the run and answers with a trace-limit error, so a
//! trace never grows beyond its budget whatever the traced code does.

/// Records a trace may keep by default: structLogs / EIP-3155 lines, callTracer frames and
/// logs, prestate accounts and slots.
pub const DEFAULT_TRACE_MAX_STEPS: u64 = 500_000;

/// Bytes a trace may keep by default (64 MiB), counted as [`TraceBudget`] says.
pub const DEFAULT_TRACE_MAX_BYTES: u64 = 64 << 20;

/// Bytes counted for each record besides its variable data (its fixed fields), the same on
/// every host so a trace fails at the same record everywhere.
pub const RECORD_OVERHEAD_BYTES: u64 = 128;

/// Bytes counted for a 32-byte word (a stack item, a topic, a storage key or value).
pub const WORD_BYTES: u64 = 32;

/// The most a trace may keep. Each record counts [`RECORD_OVERHEAD_BYTES`] plus its variable
/// data: 32 bytes per stack word, topic, storage key and value; memory, return data, calldata,
/// code and event data byte for byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceBudget {
    /// Most records.
    pub max_steps: u64,
    /// Most bytes.
    pub max_bytes: u64,
}

impl Default for TraceBudget {
    fn default() -> Self {
        Self {
            max_steps: DEFAULT_TRACE_MAX_STEPS,
            max_bytes: DEFAULT_TRACE_MAX_BYTES,
        }
    }
}

/// What a trace has kept so far against its budget (by default [`TraceBudget::default`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TraceMeter {
    budget: TraceBudget,
    steps: u64,
    bytes: u64,
    exceeded: bool,
}

impl TraceMeter {
    /// A meter for `budget`.
    pub fn new(budget: TraceBudget) -> Self {
        Self {
            budget,
            ..Self::default()
        }
    }

    /// Counts one record of `bytes` variable data (plus the record overhead); `false` (and the
    /// meter stays exceeded) when it does not fit, in which case nothing may be kept.
    pub fn record(&mut self, bytes: u64) -> bool {
        let steps = self.steps.saturating_add(1);
        let bytes = self
            .bytes
            .saturating_add(RECORD_OVERHEAD_BYTES)
            .saturating_add(bytes);
        self.admit(steps, bytes)
    }

    /// Counts `bytes` more data for a record already kept; `false` when it does not fit.
    pub fn extend(&mut self, bytes: u64) -> bool {
        let bytes = self.bytes.saturating_add(bytes);
        self.admit(self.steps, bytes)
    }

    fn admit(&mut self, steps: u64, bytes: u64) -> bool {
        if self.exceeded {
            return false;
        }
        if steps > self.budget.max_steps || bytes > self.budget.max_bytes {
            self.exceeded = true;
            return false;
        }
        self.steps = steps;
        self.bytes = bytes;
        true
    }

    /// Whether something did not fit: the trace is incomplete.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// Records kept.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Bytes kept (overheads included).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

/// Bytes of `n` words, as a meter counts them.
pub(crate) fn words_bytes(n: usize) -> u64 {
    (n as u64).saturating_mul(WORD_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_refuses_the_record_that_does_not_fit_and_stays_exceeded() {
        let mut meter = TraceMeter::new(TraceBudget {
            max_steps: 3,
            max_bytes: 3 * RECORD_OVERHEAD_BYTES + 10,
        });
        assert!(meter.record(4));
        assert!(meter.record(6));
        // 2 × 128 + 10 kept: one more overhead fits, one more byte of data does not.
        assert!(!meter.record(1));
        assert!(meter.exceeded());
        assert_eq!((meter.steps(), meter.bytes()), (2, 2 * 128 + 10));
        // Once exceeded, even what would fit is refused.
        assert!(!meter.record(0));
        assert!(!meter.extend(0));
    }

    #[test]
    fn the_step_budget_counts_records() {
        let mut meter = TraceMeter::new(TraceBudget {
            max_steps: 2,
            max_bytes: u64::MAX,
        });
        assert!(meter.record(0) && meter.record(0));
        assert!(!meter.record(0));
        assert!(meter.exceeded());
    }

    #[test]
    fn a_default_meter_has_the_default_budget() {
        let mut meter = TraceMeter::default();
        assert!(meter.record(DEFAULT_TRACE_MAX_BYTES - RECORD_OVERHEAD_BYTES));
        assert!(!meter.record(0));
        let mut meter = TraceMeter::default();
        for _ in 0..DEFAULT_TRACE_MAX_STEPS {
            assert!(meter.record(0));
        }
        assert!(!meter.record(0));
    }
}
