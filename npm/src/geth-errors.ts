// geth's wording of why a transaction is refused, which clients match on to classify the error
// (viem's `NonceTooLowError`, `InsufficientFundsError`, …; ethers' `NONCE_EXPIRED`,
// `INSUFFICIENT_FUNDS`). The strings are geth's (go-ethereum core/error.go, core/txpool/errors.go,
// core/types/transaction_signing.go); the rule names are the core's `InvalidTransaction::name`.

/** geth's message for each rule a transaction can break, by the core's rule name. */
const GETH_MESSAGES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    TypeNotSupported: 'transaction type not supported',
    ChainIdMismatch: 'invalid chain id for signer',
    IntrinsicGasTooLow: 'intrinsic gas too low',
    FloorGasTooLow: 'insufficient gas for floor data gas cost',
    GasLimitAboveBlock: 'exceeds block gas limit',
    GasLimitAboveCap: 'transaction gas limit too high',
    NonceMax: 'nonce has max value',
    NonceTooLow: 'nonce too low',
    NonceTooHigh: 'nonce too high',
    SenderHasCode: 'sender not an eoa',
    InsufficientFunds: 'insufficient funds for gas * price + value',
    FeeCapBelowBaseFee: 'max fee per gas less than block base fee',
    PriorityFeeAboveFeeCap: 'max priority fee per gas higher than max fee per gas',
    InitcodeTooLarge: 'max initcode size exceeded',
    BlobFeeCapTooLow: 'max fee per blob gas less than block blob gas fee',
    InvalidSignature: 'invalid sender',
  }),
);

/** `message` led by geth's wording of rule `reason` when geth has one (unchanged otherwise). */
export function withGethMessage(reason: string | undefined, message: string): string {
  const geth = reason === undefined ? undefined : GETH_MESSAGES[reason];
  return geth === undefined || message.startsWith(geth) ? message : `${geth}: ${message}`;
}
