//! Just enough of ELF32 to load a statically linked RISC-V executable: the entry point and the
//! `PT_LOAD` segments.

/// `e_machine` of RISC-V.
const EM_RISCV: u16 = 0xf3;
/// `p_type` of a loadable segment.
const PT_LOAD: u32 = 1;
/// Size of an ELF32 header.
const EHDR_BYTES: usize = 52;
/// Size of an ELF32 program header.
const PHDR_BYTES: usize = 32;

/// Why an ELF file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElfError {
    /// Not a little-endian ELF32 file.
    NotElf32,
    /// Not a RISC-V executable.
    WrongMachine(u16),
    /// A header or segment points outside the file.
    Truncated,
}

/// A loadable segment: `data` goes at `address` (`p_paddr`), followed by `zeros` zero bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Physical load address (`p_paddr`).
    pub address: u32,
    /// The file bytes of the segment.
    pub data: Vec<u8>,
    /// `p_memsz - p_filesz`: the zero-initialised tail (`.bss`).
    pub zeros: u32,
}

/// A parsed executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executable {
    /// `e_entry`.
    pub entry: u32,
    /// The `PT_LOAD` segments in file order.
    pub segments: Vec<Segment>,
}

fn u16_at(file: &[u8], at: usize) -> Result<u16, ElfError> {
    let bytes = file.get(at..at + 2).ok_or(ElfError::Truncated)?;
    Ok(u16::from_le_bytes([bytes[0], bytes[1]]))
}

fn u32_at(file: &[u8], at: usize) -> Result<u32, ElfError> {
    let bytes = file.get(at..at + 4).ok_or(ElfError::Truncated)?;
    Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

/// Parses `file` (an ELF32 little-endian RISC-V executable).
pub fn parse(file: &[u8]) -> Result<Executable, ElfError> {
    // e_ident: magic, ELFCLASS32 (1), ELFDATA2LSB (1).
    if file.len() < EHDR_BYTES || file[..4] != *b"\x7fELF" || file[4] != 1 || file[5] != 1 {
        return Err(ElfError::NotElf32);
    }
    let machine = u16_at(file, 18)?;
    if machine != EM_RISCV {
        return Err(ElfError::WrongMachine(machine));
    }
    let entry = u32_at(file, 24)?;
    let phoff = u32_at(file, 28)? as usize;
    let phentsize = u16_at(file, 42)? as usize;
    let phnum = u16_at(file, 44)? as usize;
    if phentsize < PHDR_BYTES {
        return Err(ElfError::Truncated);
    }
    let mut segments = Vec::new();
    for index in 0..phnum {
        let at = phoff + index * phentsize;
        if u32_at(file, at)? != PT_LOAD {
            continue;
        }
        let offset = u32_at(file, at + 4)? as usize;
        let paddr = u32_at(file, at + 12)?;
        let filesz = u32_at(file, at + 16)?;
        let memsz = u32_at(file, at + 20)?;
        let data = file
            .get(offset..offset + filesz as usize)
            .ok_or(ElfError::Truncated)?
            .to_vec();
        segments.push(Segment {
            address: paddr,
            data,
            zeros: memsz.saturating_sub(filesz),
        });
    }
    Ok(Executable { entry, segments })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-assembled ELF32 header plus one program header: entry 0x8000_0000, one PT_LOAD of
    /// 4 file bytes (`0x00000013`, `nop`) at paddr 0x8000_0000 with memsz 16.
    fn tiny_elf() -> Vec<u8> {
        let mut file = vec![0u8; EHDR_BYTES + PHDR_BYTES + 4];
        file[..6].copy_from_slice(b"\x7fELF\x01\x01");
        file[18..20].copy_from_slice(&EM_RISCV.to_le_bytes());
        file[24..28].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        file[28..32].copy_from_slice(&(EHDR_BYTES as u32).to_le_bytes());
        file[42..44].copy_from_slice(&(PHDR_BYTES as u16).to_le_bytes());
        file[44..46].copy_from_slice(&1u16.to_le_bytes());
        let ph = EHDR_BYTES;
        file[ph..ph + 4].copy_from_slice(&PT_LOAD.to_le_bytes());
        file[ph + 4..ph + 8].copy_from_slice(&((EHDR_BYTES + PHDR_BYTES) as u32).to_le_bytes());
        file[ph + 8..ph + 12].copy_from_slice(&0x1000u32.to_le_bytes()); // vaddr (ignored)
        file[ph + 12..ph + 16].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        file[ph + 16..ph + 20].copy_from_slice(&4u32.to_le_bytes());
        file[ph + 20..ph + 24].copy_from_slice(&16u32.to_le_bytes());
        file[EHDR_BYTES + PHDR_BYTES..].copy_from_slice(&0x13u32.to_le_bytes());
        file
    }

    #[test]
    fn loads_at_paddr_with_bss_tail() {
        let exe = parse(&tiny_elf()).unwrap();
        assert_eq!(exe.entry, 0x8000_0000);
        assert_eq!(
            exe.segments,
            vec![Segment {
                address: 0x8000_0000,
                data: vec![0x13, 0, 0, 0],
                zeros: 12
            }]
        );
    }

    #[test]
    fn rejects_other_files() {
        let mut file = tiny_elf();
        file[18] = 0x3e; // x86-64
        assert_eq!(parse(&file), Err(ElfError::WrongMachine(0x3e)));
        assert_eq!(parse(b"\x7fELF\x02\x01"), Err(ElfError::NotElf32));
        let mut short = tiny_elf();
        short.truncate(EHDR_BYTES + PHDR_BYTES);
        assert_eq!(parse(&short), Err(ElfError::Truncated));
    }
}
