//! Where an [`Io`]'s curve precompiles run, and whether that backend refused an operation.

use super::Io;
use crate::crypto::curves::CurveBackend;

impl<S> Io<S> {
    /// The backend the curve precompiles run on
    /// ([`crate::crypto::curves::DEFAULT_CURVES`] unless set).
    pub fn curves(&self) -> &'static dyn CurveBackend {
        self.curves
    }

    /// Runs the curve precompiles on `curves` from now on.
    pub fn set_curves(&mut self, curves: &'static dyn CurveBackend) {
        self.curves = curves;
    }

    /// Whether the curve backend refused an operation on this IO. What ran since (the rest of
    /// the transaction, and the block) is then no result: its caller must discard the IO and
    /// report that the curve code is not loaded.
    pub fn curves_refused(&self) -> bool {
        self.curves_refused
    }

    /// Records that the curve backend refused an operation (see [`Self::curves_refused`]).
    pub fn note_curves_refused(&mut self) {
        self.curves_refused = true;
    }
}
