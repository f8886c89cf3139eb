//! Creation code of published contract builds, read from the npm package's dev dependencies
//! (`npm/node_modules`, installed by `make setup` through `npm ci`; never part of this
//! repository): Uniswap V2 core 1.0.1 and periphery 1.1.0-beta.0 (WETH9 among the latter),
//! OpenZeppelin Contracts 4.9.6 presets, Safe smart account 1.5.0.

use alloy_primitives::hex;
use std::path::PathBuf;

/// One published build: the npm package and the path of its artifact JSON inside it.
#[derive(Clone, Copy, Debug)]
pub struct Build {
    /// npm package name.
    pub package: &'static str,
    /// Artifact path inside the package.
    pub path: &'static str,
}

impl Build {
    const fn new(package: &'static str, path: &'static str) -> Self {
        Self { package, path }
    }

    fn file(&self) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../npm/node_modules")
            .join(self.package)
            .join(self.path)
    }

    /// The creation code (the artifact's `bytecode`), or an error naming the missing file
    /// and how to install it.
    pub fn creation_code(&self) -> Result<Vec<u8>, String> {
        let file = self.file();
        let json = self.artifact()?;
        let code = json["bytecode"]
            .as_str()
            .ok_or_else(|| format!("{}: no `bytecode`", file.display()))?;
        let code = hex::decode(code.trim_start_matches("0x"))
            .map_err(|e| format!("{}: {e}", file.display()))?;
        if code.is_empty() {
            return Err(format!("{}: empty `bytecode`", file.display()));
        }
        Ok(code)
    }

    /// The public functions of the artifact's `abi`: each one's name, input types and whether
    /// it takes ether.
    pub fn functions(&self) -> Result<Vec<Function>, String> {
        let json = self.artifact()?;
        let abi = json["abi"]
            .as_array()
            .ok_or_else(|| format!("{}: no `abi`", self.file().display()))?;
        let functions = abi
            .iter()
            .filter(|item| item["type"] == "function")
            .map(|item| Function {
                name: item["name"].as_str().unwrap_or_default().to_string(),
                inputs: item["inputs"]
                    .as_array()
                    .map(|inputs| {
                        inputs
                            .iter()
                            .map(|i| i["type"].as_str().unwrap_or_default().to_string())
                            .collect()
                    })
                    .unwrap_or_default(),
                payable: item["stateMutability"] == "payable" || item["payable"] == true,
                view: matches!(item["stateMutability"].as_str(), Some("view" | "pure"))
                    || item["constant"] == true,
            })
            .collect();
        Ok(functions)
    }

    /// The artifact's JSON, or an error naming the missing file and how to install it.
    fn artifact(&self) -> Result<serde_json::Value, String> {
        let file = self.file();
        let text = std::fs::read_to_string(&file).map_err(|e| {
            format!(
                "{}: {e} (the npm dev dependency {} is not installed: run `make setup`, \
                 which runs `npm ci` in npm/)",
                file.display(),
                self.package
            )
        })?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))
    }
}

/// A public function of a build's ABI.
#[derive(Clone, Debug)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// Its input types as the ABI spells them (`address`, `uint256`, `bytes`, ...).
    pub inputs: Vec<String>,
    /// Whether it takes ether.
    pub payable: bool,
    /// Whether it only reads.
    pub view: bool,
}

impl Function {
    /// `name(type,type,...)`, what the selector hashes.
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.inputs.join(","))
    }
}

const UNI_CORE: &str = "@uniswap/v2-core";
const UNI_PERIPHERY: &str = "@uniswap/v2-periphery";
const OZ: &str = "@openzeppelin/contracts";
const SAFE: &str = "@safe-global/safe-smart-account";

/// `UniswapV2Factory(feeToSetter)`.
pub const UNISWAP_FACTORY: Build = Build::new(UNI_CORE, "build/UniswapV2Factory.json");
/// `UniswapV2Pair` (deployed by the factory with CREATE2; its code hash fixes pair addresses).
pub const UNISWAP_PAIR: Build = Build::new(UNI_CORE, "build/UniswapV2Pair.json");
/// `UniswapV2Router02(factory, WETH)`.
pub const UNISWAP_ROUTER: Build = Build::new(UNI_PERIPHERY, "build/UniswapV2Router02.json");
/// `WETH9`.
pub const WETH9: Build = Build::new(UNI_PERIPHERY, "build/WETH9.json");
/// `ERC20PresetMinterPauser(name, symbol)`.
pub const OZ_ERC20: Build = Build::new(OZ, "build/contracts/ERC20PresetMinterPauser.json");
/// `ERC721PresetMinterPauserAutoId(name, symbol, baseTokenURI)`.
pub const OZ_ERC721: Build = Build::new(OZ, "build/contracts/ERC721PresetMinterPauserAutoId.json");
/// `ERC1155PresetMinterPauser(uri)`.
pub const OZ_ERC1155: Build = Build::new(OZ, "build/contracts/ERC1155PresetMinterPauser.json");
/// `ERC721Holder`: accepts every ERC-721 safe transfer.
pub const OZ_ERC721_HOLDER: Build = Build::new(OZ, "build/contracts/ERC721Holder.json");
/// The `Safe` singleton.
pub const SAFE_SINGLETON: Build = Build::new(SAFE, "build/artifacts/contracts/Safe.sol/Safe.json");
/// `SafeProxyFactory`.
pub const SAFE_PROXY_FACTORY: Build = Build::new(
    SAFE,
    "build/artifacts/contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json",
);
/// `SafeProxy(singleton)`: the code the factory deploys (its hash fixes proxy addresses).
pub const SAFE_PROXY: Build = Build::new(
    SAFE,
    "build/artifacts/contracts/proxies/SafeProxy.sol/SafeProxy.json",
);
