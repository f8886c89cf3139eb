//! A PC profiler for guest runs: counts how often each instruction address retires and folds the
//! counts to the function symbols of the ELF's symbol table (`.symtab`, kept in the release
//! guest), so a calibration row's instructions can be split by function.

use super::elf::ElfError;
use super::emulator::{Emulator, EmulatorError, Run};
use std::collections::HashMap;

/// `sh_type` of a symbol table.
const SHT_SYMTAB: u32 = 2;
/// Symbol type (low nibble of `st_info`) of a function.
const STT_FUNC: u8 = 2;
/// Size of an ELF32 section header.
const SHDR_BYTES: usize = 40;
/// Size of an ELF32 symbol.
const SYM_BYTES: usize = 16;

/// One function symbol: `[start, start + size)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// First address.
    pub start: u32,
    /// Size in bytes.
    pub size: u32,
    /// Demangled name without the hash suffix.
    pub name: String,
}

/// The function symbols of an ELF, sorted by address.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    functions: Vec<Function>,
}

fn u16_at(file: &[u8], at: usize) -> Result<u16, ElfError> {
    let bytes = file.get(at..at + 2).ok_or(ElfError::Truncated)?;
    Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
}

fn u32_at(file: &[u8], at: usize) -> Result<u32, ElfError> {
    let bytes = file.get(at..at + 4).ok_or(ElfError::Truncated)?;
    Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// The NUL-terminated string at `at`.
fn c_str(file: &[u8], at: usize) -> Result<&[u8], ElfError> {
    let rest = file.get(at..).ok_or(ElfError::Truncated)?;
    let end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or(ElfError::Truncated)?;
    Ok(&rest[..end])
}

impl Symbols {
    /// Reads the `STT_FUNC` symbols of `file` (an ELF32 executable); none if it has no symbol
    /// table (a stripped ELF).
    pub fn parse(file: &[u8]) -> Result<Self, ElfError> {
        let shoff = u32_at(file, 32)? as usize;
        let shentsize = u16_at(file, 46)? as usize;
        let shnum = u16_at(file, 48)? as usize;
        if shnum > 0 && shentsize < SHDR_BYTES {
            return Err(ElfError::Truncated);
        }
        let section = |index: usize| shoff + index * shentsize;
        let mut functions = Vec::new();
        for index in 0..shnum {
            let at = section(index);
            if u32_at(file, at + 4)? != SHT_SYMTAB {
                continue;
            }
            let offset = u32_at(file, at + 16)? as usize;
            let size = u32_at(file, at + 20)? as usize;
            let strtab = u32_at(file, section(u32_at(file, at + 24)? as usize) + 16)? as usize;
            for sym in (offset..offset + size).step_by(SYM_BYTES) {
                let info = *file.get(sym + 12).ok_or(ElfError::Truncated)?;
                let size = u32_at(file, sym + 8)?;
                if info & 0xf != STT_FUNC || size == 0 {
                    continue;
                }
                let name = c_str(file, strtab + u32_at(file, sym)? as usize)?;
                functions.push(Function {
                    start: u32_at(file, sym + 4)?,
                    size,
                    name: demangle(&String::from_utf8_lossy(name)),
                });
            }
        }
        functions.sort_by_key(|f| f.start);
        Ok(Self { functions })
    }

    /// The function holding `pc`.
    pub fn lookup(&self, pc: u32) -> Option<&Function> {
        let index = self.functions.partition_point(|f| f.start <= pc);
        let function = self.functions.get(index.checked_sub(1)?)?;
        (pc - function.start < function.size).then_some(function)
    }
}

/// Demangles a legacy Rust symbol (`_ZN` length-prefixed path `E`), dropping the `h<hash>`
/// component; other names are returned as they are.
pub fn demangle(symbol: &str) -> String {
    let Some(mut rest) = symbol.strip_prefix("_ZN").and_then(|s| s.strip_suffix('E')) else {
        return symbol.to_string();
    };
    let mut parts = Vec::new();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(len) = rest[..digits].parse::<usize>() else {
            return symbol.to_string();
        };
        let Some(part) = rest.get(digits..digits + len) else {
            return symbol.to_string();
        };
        parts.push(
            part.strip_prefix('_')
                .filter(|p| p.starts_with('$'))
                .unwrap_or(part),
        );
        rest = &rest[digits + len..];
    }
    if parts
        .last()
        .is_some_and(|p| p.len() == 17 && p.starts_with('h'))
    {
        parts.pop();
    }
    let mut name = parts.join("::");
    for (escape, text) in [
        ("$LT$", "<"),
        ("$GT$", ">"),
        ("$u20$", " "),
        ("$u27$", "'"),
        ("$u7b$", "{"),
        ("$u7d$", "}"),
        ("$C$", ","),
        ("$RF$", "&"),
        ("$BP$", "*"),
        ("..", "::"),
    ] {
        name = name.replace(escape, text);
    }
    name
}

/// Retired instructions per PC.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Histogram {
    /// Count per instruction address.
    pub counts: HashMap<u32, u64>,
}

impl Histogram {
    /// Total instructions.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// `self - baseline` per PC (negative where the baseline ran an address more often).
    pub fn minus(&self, baseline: &Histogram) -> HashMap<u32, i64> {
        let mut diff: HashMap<u32, i64> = HashMap::new();
        for (&pc, &n) in &self.counts {
            *diff.entry(pc).or_default() += n as i64;
        }
        for (&pc, &n) in &baseline.counts {
            *diff.entry(pc).or_default() -= n as i64;
        }
        diff.retain(|_, n| *n != 0);
        diff
    }
}

/// Runs the guest on `input` like [`Emulator::run`] and returns the run with its histogram.
pub fn run(
    emulator: &Emulator,
    input: &[u8],
    max_steps: u64,
) -> Result<(Run, Histogram), EmulatorError> {
    let mut histogram = Histogram::default();
    let run = emulator.run_observed(input, max_steps, |pc| {
        *histogram.counts.entry(pc).or_default() += 1;
    })?;
    Ok((run, histogram))
}

/// Folds per-PC counts to functions (`?` for addresses outside every symbol), largest first.
pub fn by_function(symbols: &Symbols, counts: &HashMap<u32, i64>) -> Vec<(String, i64)> {
    let mut folded: HashMap<String, i64> = HashMap::new();
    for (&pc, &n) in counts {
        let name = symbols.lookup(pc).map_or("?", |f| f.name.as_str());
        *folded.entry(name.to_string()).or_default() += n;
    }
    let mut rows: Vec<(String, i64)> = folded.into_iter().filter(|(_, n)| *n != 0).collect();
    rows.sort_by(|a, b| b.1.abs().cmp(&a.1.abs()).then_with(|| a.0.cmp(&b.0)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demangles_legacy_paths() {
        // _ZN 4core 3ptr 13drop_in_place 17h0123456789abcdef E
        assert_eq!(
            demangle("_ZN4core3ptr13drop_in_place17h0123456789abcdefE"),
            "core::ptr::drop_in_place"
        );
        assert_eq!(
            demangle(
                "_ZN5ruint3add42_$LT$impl$u20$ruint..Uint$LT$_$C$_$GT$$GT$3add17h0000000000000000E"
            ),
            "ruint::add::<impl ruint::Uint<_,_>>::add"
        );
        assert_eq!(demangle("main"), "main");
    }

    #[test]
    fn lookup_finds_the_enclosing_function() {
        let symbols = Symbols {
            functions: vec![
                Function {
                    start: 0x100,
                    size: 0x10,
                    name: "a".into(),
                },
                Function {
                    start: 0x200,
                    size: 0x8,
                    name: "b".into(),
                },
            ],
        };
        assert_eq!(symbols.lookup(0x10c).map(|f| f.name.as_str()), Some("a"));
        assert_eq!(symbols.lookup(0x110), None);
        assert_eq!(symbols.lookup(0x204).map(|f| f.name.as_str()), Some("b"));
        assert_eq!(symbols.lookup(0xff), None);
        let counts = HashMap::from([(0x100, 3), (0x104, 2), (0x204, -1), (0x300, 4)]);
        assert_eq!(
            by_function(&symbols, &counts),
            vec![("a".into(), 5), ("?".into(), 4), ("b".into(), -1)]
        );
    }
}
