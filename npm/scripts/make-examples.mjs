// Writes examples/block.json and examples/tx.json (signed with a well-known public test key).
import { writeFileSync } from 'node:fs';
import { encodeFunctionData, getContractAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { TOKEN_ABI, TOKEN_BYTECODE, ERC20_RUNTIME, erc20BalanceSlot } from '../test/fixtures/erc20.mjs';

const key = '0xac0974bec39a17e36ba4a91b4d9aa9ab0c1dcb2dff54e01b4f7a8ec1f12a0b7f';
const a = privateKeyToAccount(key);
const chain = { chainId: 270, flow: 'zk', hardfork: 'cancun', protocolVersion: 1 };
const fee = { maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 0n };
const recipient = '0x100000000000000000000000000000000000beef';
const token = getContractAddress({ from: a.address, nonce: 0n });
const deploy = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 0, gas: 3_000_000n, data: TOKEN_BYTECODE, ...fee });
const transfer = await a.signTransaction({ type: 'eip1559', chainId: 270, nonce: 1, to: token, gas: 200_000n, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [recipient, 1000n] }), ...fee });
const block = {
  chain,
  preState: { [a.address]: { balance: '1000000000000000000000' }, [recipient]: { balance: '1000000000000000000' } },
  number: 1,
  timestamp: 1767225600,
  transactions: [deploy, transfer, { from: recipient, to: token, gas: 200000, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'transfer', args: [a.address, 5000n] }) }],
};
const tokenAt = '0x100000000000000000000000000000000000e20c';
const tx = {
  chain,
  preState: {
    [a.address]: { balance: '1000000000000000000000' },
    [tokenAt]: { code: ERC20_RUNTIME, storage: { [erc20BalanceSlot(a.address)]: '1000000', '0x1': '1000000' } },
  },
  tx: { from: a.address, to: tokenAt, data: encodeFunctionData({ abi: TOKEN_ABI, functionName: 'balanceVia', args: [tokenAt, a.address] }) },
};
writeFileSync(new URL('../examples/block.json', import.meta.url), JSON.stringify(block, null, 2) + '\n');
writeFileSync(new URL('../examples/tx.json', import.meta.url), JSON.stringify(tx, null, 2) + '\n');
console.log('wrote examples/block.json and examples/tx.json');
