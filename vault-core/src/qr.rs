//! QR codes for share links: for the terminal, PNG and SVG, and reading a
//! QR picture back (so an agency can scan a photo or screenshot).
//!
//! Links are upper case, so the encoder (which picks the cheapest mix of
//! segments) puts all but the `#` in alphanumeric mode; error correction
//! is M (15% of the code may be damaged or dirty and still read).

use std::io::{Read, Write};

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white border around a code (the standard's minimum).
pub const QUIET_ZONE: usize = 4;
/// Pixels per module in PNG output: big enough for a cheap phone camera.
pub const PNG_SCALE: usize = 8;
/// Largest picture [`decode_png`] accepts, in pixels.
pub const MAX_PIXELS: usize = 40_000_000;

/// Why a QR code could not be made or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The text does not fit in a QR code.
    #[error("the link is too long for a QR code")]
    TooLong,
    /// The file is not a PNG picture this program can read.
    #[error("the picture is not a PNG file that can be read")]
    NotPng,
    /// The picture is too large.
    #[error("the picture is too large; use a smaller picture or a screenshot")]
    TooLarge,
    /// No QR code was found in the picture.
    #[error("no QR code could be read in the picture; try a sharper, brighter picture")]
    NotFound,
    /// Writing the picture failed.
    #[error("could not write the picture: {0}")]
    Io(#[from] std::io::Error),
}

/// The characters of QR alphanumeric mode.
fn alphanumeric(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase() || b" $%*+-./:".contains(&b)
}

/// A QR code for `text` at error correction M, in the smallest version.
///
/// A share link `HEAD#SECRET` whose two halves are in the alphanumeric set
/// is written as exactly three segments — alphanumeric, byte (`#`),
/// alphanumeric — so its size does not depend on where digits fall in the
/// secret (the general optimiser sometimes switches to byte mode there and
/// grows the code by a version). Anything else uses the optimiser.
pub fn encode(text: &str) -> Result<QrCode, QrError> {
    if let Some((head, secret)) = text.split_once('#') {
        let fits = |s: &str| !s.is_empty() && s.bytes().all(alphanumeric);
        if fits(head) && fits(secret) {
            for v in 1..=40 {
                let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(v));
                let pushed = bits.push_alphanumeric_data(head.as_bytes()).is_ok()
                    && bits.push_byte_data(b"#").is_ok()
                    && bits.push_alphanumeric_data(secret.as_bytes()).is_ok()
                    && bits.push_terminator(EcLevel::M).is_ok();
                if pushed {
                    return QrCode::with_bits(bits, EcLevel::M).map_err(|_| QrError::TooLong);
                }
            }
            return Err(QrError::TooLong);
        }
    }
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| QrError::TooLong)
}

/// The QR version (1–40) that `text` needs at error correction M.
pub fn version(text: &str) -> Result<i16, QrError> {
    match encode(text)?.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => Ok(v),
    }
}

/// The code as text for a terminal, two modules a character, dark modules
/// as `█▀▄`, with the quiet zone. Print it black on white (the caller
/// knows whether it writes to a terminal that takes colours).
pub fn to_terminal(code: &QrCode) -> String {
    code.render::<qrcode::render::unicode::Dense1x2>()
        .dark_color(qrcode::render::unicode::Dense1x2::Dark)
        .light_color(qrcode::render::unicode::Dense1x2::Light)
        .quiet_zone(true)
        .build()
}

/// The code as an SVG document.
pub fn to_svg(code: &QrCode) -> String {
    code.render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build()
}

/// The code as an 8-bit greyscale PNG, [`PNG_SCALE`] pixels a module.
pub fn write_png(code: &QrCode, out: impl Write) -> Result<(), QrError> {
    let w = code.width();
    let colors = code.to_colors();
    let side = (w + 2 * QUIET_ZONE) * PNG_SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c != Color::Dark {
            continue;
        }
        let (mx, my) = (i % w + QUIET_ZONE, i / w + QUIET_ZONE);
        for dy in 0..PNG_SCALE {
            let row = (my * PNG_SCALE + dy) * side;
            pixels[row + mx * PNG_SCALE..row + (mx + 1) * PNG_SCALE].fill(0);
        }
    }
    let side32 = u32::try_from(side).map_err(|_| QrError::TooLong)?;
    let mut enc = png::Encoder::new(out, side32, side32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc
        .write_header()
        .map_err(|e| QrError::Io(std::io::Error::other(e)))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| QrError::Io(std::io::Error::other(e)))?;
    writer
        .finish()
        .map_err(|e| QrError::Io(std::io::Error::other(e)))?;
    Ok(())
}

/// Reads the first QR code in a PNG picture and returns its text.
pub fn decode_png(input: impl Read) -> Result<String, QrError> {
    let mut decoder = png::Decoder::new_with_limits(
        input,
        png::Limits {
            bytes: MAX_PIXELS * 4,
        },
    );
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| match e {
        png::DecodingError::LimitsExceeded => QrError::TooLarge,
        _ => QrError::NotPng,
    })?;
    let (w, h) = {
        let info = reader.info();
        (info.width as usize, info.height as usize)
    };
    if w.saturating_mul(h) > MAX_PIXELS || w == 0 || h == 0 {
        return Err(QrError::TooLarge);
    }
    let mut buf = vec![0u8; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).map_err(|_| QrError::NotPng)?;
    let channels = frame.color_type.samples();
    let stride = frame.line_size;
    let grey = |x: usize, y: usize| -> u8 {
        let p = &buf[y * stride + x * channels..];
        match channels {
            1 | 2 => p[0],
            _ => ((u16::from(p[0]) * 3 + u16::from(p[1]) * 6 + u16::from(p[2])) / 10) as u8,
        }
    };
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, grey);
    for grid in img.detect_grids() {
        if let Ok((_, text)) = grid.decode() {
            return Ok(text);
        }
    }
    Err(QrError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::link::{ShareLink, ShareSecret};

    fn link(host: &str) -> String {
        ShareLink::new(
            &format!("https://{host}"),
            ShareSecret::from_bytes([0xa7; 32]),
        )
        .expect("link")
        .to_text()
        .to_string()
    }

    #[test]
    fn png_round_trips_the_exact_link() {
        let text = link("relay.example.org");
        let mut png = Vec::new();
        write_png(&encode(&text).expect("encode"), &mut png).expect("png");
        assert_eq!(decode_png(&png[..]).expect("decode"), text);
    }

    #[test]
    fn twenty_character_host_fits_version_4_at_m_for_every_secret() {
        let host = "relay.example-20.org";
        assert_eq!(host.len(), 20);
        for seed in 0..=255u8 {
            let text = ShareLink::new(
                &format!("https://{host}"),
                ShareSecret::from_bytes([seed; 32]),
            )
            .expect("link")
            .to_text();
            assert_eq!(version(&text).expect("version"), 4, "{}", text.as_str());
        }
    }

    #[test]
    fn three_segment_codes_decode_to_the_exact_link() {
        for seed in [0u8, 1, 0x42, 0xff] {
            let text = ShareLink::new(
                "https://relay.example.org:8443",
                ShareSecret::from_bytes([seed; 32]),
            )
            .expect("link")
            .to_text()
            .to_string();
            let mut png = Vec::new();
            write_png(&encode(&text).expect("encode"), &mut png).expect("png");
            assert_eq!(decode_png(&png[..]).expect("decode"), text);
        }
    }

    #[test]
    fn refuses_a_picture_of_more_than_40_million_pixels_before_decoding_it() {
        // Only the header: 10,000 × 10,000 grey pixels would need 100 MB.
        let mut huge = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut huge, 10_000, 10_000);
            enc.set_color(png::ColorType::Grayscale);
            let mut w = enc.write_header().expect("header");
            // An empty first data chunk: decoding stops at it to report the size.
            w.write_chunk(png::chunk::IDAT, &[]).expect("a chunk");
            drop(w);
        }
        assert!(huge.len() < 100, "{} bytes", huge.len());
        assert!(matches!(decode_png(&huge[..]), Err(QrError::TooLarge)));
    }

    #[test]
    fn rejects_non_png_and_finds_no_code_in_blank_picture() {
        assert!(matches!(
            decode_png(&b"not a picture"[..]),
            Err(QrError::NotPng)
        ));
        let mut blank = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut blank, 64, 64);
            enc.set_color(png::ColorType::Grayscale);
            let mut w = enc.write_header().expect("header");
            w.write_image_data(&[255u8; 64 * 64]).expect("data");
        }
        assert!(matches!(decode_png(&blank[..]), Err(QrError::NotFound)));
    }

    #[test]
    fn svg_and_terminal_renderings_are_made() {
        let code = encode(&link("relay.example.org")).expect("encode");
        assert!(to_svg(&code).starts_with("<?xml"));
        let term = to_terminal(&code);
        assert!(term.contains('█'));
    }
}
