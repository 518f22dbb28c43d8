//! A ZIP archive of one stored (uncompressed) file, the smallest deployment
//! package Lambda accepts, written by hand so the example needs no archive
//! crate. Layout from the ZIP format's APPNOTE: local file header, data,
//! central directory header, end of central directory record.

/// The archive holding `name` with `contents`.
///
/// The ZIP format stores sizes and offsets in 32 bits and counts in 16;
/// the example's one small file is far below both limits, and a larger
/// input is refused rather than written wrong.
pub fn single_file(name: &str, contents: &[u8]) -> Result<Vec<u8>, String> {
    let too_big = || format!("`{name}` is too large for a ZIP archive without ZIP64");
    let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
    let size = u32::try_from(contents.len()).map_err(|_| too_big())?;
    let crc = crc32(contents);

    // Version needed 1.0 (stored), no flags, method 0 (stored), DOS time and
    // date 1980-01-01 00:00.
    let common = |out: &mut Vec<u8>| {
        out.extend_from_slice(&10u16.to_le_bytes()); // version needed to extract
        out.extend_from_slice(&0u16.to_le_bytes()); // general purpose flags
        out.extend_from_slice(&0u16.to_le_bytes()); // compression method: stored
        out.extend_from_slice(&0u16.to_le_bytes()); // last modified time
        out.extend_from_slice(&0x21u16.to_le_bytes()); // last modified date
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes()); // compressed size
        out.extend_from_slice(&size.to_le_bytes()); // uncompressed size
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // extra field length
    };

    let mut out = Vec::new();
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes()); // local file header
    common(&mut out);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(contents);

    let central_offset = u32::try_from(out.len()).map_err(|_| too_big())?;
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes()); // central directory header
    out.extend_from_slice(&0x031eu16.to_le_bytes()); // made by: Unix, version 3.0
    common(&mut out);
    out.extend_from_slice(&0u16.to_le_bytes()); // file comment length
    out.extend_from_slice(&0u16.to_le_bytes()); // disk number start
    out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    out.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes()); // external: -rw-r--r--
    out.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
    out.extend_from_slice(name.as_bytes());
    let central_size = u32::try_from(out.len()).map_err(|_| too_big())? - central_offset;

    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes()); // end of central directory
    out.extend_from_slice(&0u16.to_le_bytes()); // this disk
    out.extend_from_slice(&0u16.to_le_bytes()); // disk with the central directory
    out.extend_from_slice(&1u16.to_le_bytes()); // entries on this disk
    out.extend_from_slice(&1u16.to_le_bytes()); // entries in total
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    Ok(out)
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as ZIP uses.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_check_value() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn archive_layout() {
        let zip = single_file("a.py", b"x = 1\n").unwrap();
        // 30 + 4 + 6 local, 46 + 4 central, 22 end record.
        assert_eq!(zip.len(), 112);
        assert_eq!(&zip[..4], b"PK\x03\x04");
        assert_eq!(&zip[40..44], b"PK\x01\x02");
        assert_eq!(&zip[90..94], b"PK\x05\x06");
        // The end record points at the central directory.
        assert_eq!(&zip[106..110], &40u32.to_le_bytes());
    }
}
