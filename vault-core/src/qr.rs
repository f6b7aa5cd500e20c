//! QR codes for share links: for the terminal, PNG and SVG, a printable
//! page (the code with a heading and a few lines of text, drawn with an
//! embedded bitmap font), and reading a QR picture back (so an agency can
//! scan a photo or screenshot: PNG, and with the `native` feature JPEG).
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
/// Largest picture [`decode_png`] and [`decode_picture`] accept, in pixels.
pub const MAX_PIXELS: usize = 40_000_000;
/// Most memory a picture's decoder may take, in bytes (a 40-megapixel
/// colour photo needs 120 MB).
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;
/// Most bytes [`decode_png`] reads from its input.
pub const MAX_FILE_LEN: u64 = 64 * 1024 * 1024;
/// Longest side, in pixels, a big photo is scaled down to before the first
/// search for a code (a phone's 4000 × 3000 photo takes long to search and
/// its noise hides the code; a code filling a fifth of the frame keeps
/// several pixels a module).
pub const SEARCH_SIDE: usize = 1600;

/// Why a QR code could not be made or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The text does not fit in a QR code.
    #[error("{}", crate::msg!("qr-too-long"))]
    TooLong,
    /// The file is not a PNG picture this program can read.
    #[error("{}", crate::msg!("qr-not-png"))]
    NotPng,
    /// The file is neither a PNG nor a JPEG picture this program can read.
    #[error("{}", crate::msg!("qr-not-picture"))]
    NotPicture,
    /// The picture is a HEIC/HEIF photo (iPhone's default), which this
    /// program cannot read.
    #[error("{}", crate::msg!("qr-heic"))]
    Heic,
    /// The picture is too large.
    #[error("{}", crate::msg!("qr-too-large"))]
    TooLarge,
    /// No QR code was found in the picture.
    #[error("{}", crate::msg!("qr-not-found"))]
    NotFound,
    /// Writing the picture failed.
    #[error("{}", crate::msg!("qr-io", reason = .0.to_string()))]
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

/// A white greyscale page, one byte a pixel (0 black, 255 white).
struct Page {
    width: usize,
    pixels: Vec<u8>,
}

impl Page {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            pixels: vec![255; width * height],
        }
    }

    fn height(&self) -> usize {
        self.pixels.len() / self.width
    }

    /// A black square of `side` pixels, its top left corner at `(x, y)`.
    fn square(&mut self, x: usize, y: usize, side: usize) {
        for row in y..y + side {
            let at = row * self.width;
            self.pixels[at + x..at + x + side].fill(0);
        }
    }

    /// The code, `scale` pixels a module, its quiet zone's corner at `(x, y)`.
    fn code(&mut self, code: &QrCode, x: usize, y: usize, scale: usize) {
        let w = code.width();
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c == Color::Dark {
                let (mx, my) = (i % w + QUIET_ZONE, i / w + QUIET_ZONE);
                self.square(x + mx * scale, y + my * scale, scale);
            }
        }
    }

    /// One line of text with the 8 × 8 font, `scale` pixels a font pixel,
    /// centred on the page, its top at `y`. Characters outside ASCII are
    /// drawn as `?`.
    fn text(&mut self, line: &str, y: usize, scale: usize) {
        let advance = 8 * scale;
        let len = line.chars().count() * advance;
        let mut x = self.width.saturating_sub(len) / 2;
        for ch in line.chars() {
            let glyph = font8x8::legacy::BASIC_LEGACY[if ch.is_ascii() && !ch.is_ascii_control() {
                ch as usize
            } else {
                '?' as usize
            }];
            for (gy, bits) in glyph.iter().enumerate() {
                for gx in 0..8 {
                    if bits >> gx & 1 == 1 {
                        self.square(x + gx * scale, y + gy * scale, scale);
                    }
                }
            }
            x += advance;
        }
    }

    fn write_png(&self, out: impl Write) -> Result<(), QrError> {
        let w = u32::try_from(self.width).map_err(|_| QrError::TooLong)?;
        let h = u32::try_from(self.height()).map_err(|_| QrError::TooLong)?;
        let mut enc = png::Encoder::new(out, w, h);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let io = |e: png::EncodingError| QrError::Io(std::io::Error::other(e));
        let mut writer = enc.write_header().map_err(io)?;
        writer.write_image_data(&self.pixels).map_err(io)?;
        writer.finish().map_err(io)
    }
}

/// The code as an 8-bit greyscale PNG, [`PNG_SCALE`] pixels a module.
pub fn write_png(code: &QrCode, out: impl Write) -> Result<(), QrError> {
    let side = (code.width() + 2 * QUIET_ZONE) * PNG_SCALE;
    let mut page = Page::new(side, side);
    page.code(code, 0, 0, PNG_SCALE);
    page.write_png(out)
}

/// Pixels a module on the printable page.
pub const PRINT_SCALE: usize = 10;
/// Pixels a font pixel in the printable page's heading (32-pixel letters).
const HEADING_SCALE: usize = 4;
/// Pixels a font pixel in the printable page's details (24-pixel letters).
const DETAIL_SCALE: usize = 3;
/// White margin around everything on the printable page, in pixels.
const MARGIN: usize = 48;

/// A printable page as an 8-bit greyscale PNG: on white, the `heading`
/// lines in large letters, the code ([`PRINT_SCALE`] pixels a module,
/// with its quiet zone), then the `details` lines, all centred. Letters
/// come from an embedded 8 × 8 bitmap font (ASCII; anything else shows as
/// `?`), so no system font is needed and the page is the same everywhere.
pub fn write_print_png(
    code: &QrCode,
    heading: &[&str],
    details: &[&str],
    out: impl Write,
) -> Result<(), QrError> {
    let side = (code.width() + 2 * QUIET_ZONE) * PRINT_SCALE;
    let widest = |lines: &[&str], scale: usize| {
        lines
            .iter()
            .map(|l| l.chars().count() * 8 * scale)
            .max()
            .unwrap_or(0)
    };
    let width = side
        .max(widest(heading, HEADING_SCALE))
        .max(widest(details, DETAIL_SCALE))
        + 2 * MARGIN;
    let (heading_line, detail_line) = (10 * HEADING_SCALE, 12 * DETAIL_SCALE);
    let height = 2 * MARGIN + heading.len() * heading_line + side + details.len() * detail_line;
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(QrError::TooLong);
    }
    let mut page = Page::new(width, height);
    let mut y = MARGIN;
    for line in heading {
        page.text(line, y, HEADING_SCALE);
        y += heading_line;
    }
    page.code(code, (width - side) / 2, y, PRINT_SCALE);
    y += side;
    for line in details {
        page.text(line, y, DETAIL_SCALE);
        y += detail_line;
    }
    page.write_png(out)
}

/// The first code rqrr finds in a greyscale picture, `grey(x, y)`.
fn search(w: usize, h: usize, grey: impl FnMut(usize, usize) -> u8) -> Option<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, grey);
    img.detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// Reads the first QR code in a PNG picture and returns its text (at most
/// [`MAX_FILE_LEN`] bytes are read).
pub fn decode_png(input: impl Read) -> Result<String, QrError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_FILE_LEN)
        .read_to_end(&mut bytes)
        .map_err(|_| QrError::NotPng)?;
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(&bytes[..]),
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
    let mut buf = vec![0u8; reader.output_buffer_size().ok_or(QrError::TooLarge)?];
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
    search(w, h, grey).ok_or(QrError::NotFound)
}

/// What kind of picture `bytes` hold, judged by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureKind {
    /// PNG (`\x89PNG`).
    Png,
    /// JPEG (`FF D8 FF`).
    Jpeg,
    /// HEIC or HEIF: an ISO media file whose `ftyp` box names a HEIF
    /// brand (`heic`, `heix`, `mif1`, `heif`, …) and not AVIF.
    Heic,
    /// Anything else.
    Other,
}

/// Which kind of picture `bytes` hold (see [`PictureKind`]).
pub fn picture_kind(bytes: &[u8]) -> PictureKind {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return PictureKind::Png;
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return PictureKind::Jpeg;
    }
    if bytes.len() >= 16 && &bytes[4..8] == b"ftyp" {
        let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        let end = size.clamp(16, bytes.len().min(4096));
        // The major brand, then (after the minor version) the compatible ones.
        let brands: Vec<&[u8]> = std::iter::once(&bytes[8..12])
            .chain(bytes[16..end].chunks_exact(4))
            .collect();
        let any = |names: &[&[u8; 4]]| brands.iter().any(|b| names.iter().any(|n| *b == &n[..]));
        if any(&[b"avif", b"avis"]) {
            return PictureKind::Other;
        }
        if any(&[
            b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1",
            b"mif2", b"msf1", b"heif",
        ]) {
            return PictureKind::Heic;
        }
    }
    PictureKind::Other
}

/// Reads the first QR code in a PNG or JPEG picture (a screenshot, or a
/// phone's photo of a code on paper or a screen) and returns its text.
///
/// The picture may have at most [`MAX_PIXELS`] pixels, checked from its
/// header before it is decoded, and its decoder may allocate at most
/// [`MAX_DECODE_ALLOC`] bytes. A picture larger than [`SEARCH_SIDE`] is
/// first searched scaled down (averaging blocks of pixels), then at full
/// size. Rotation needs no care (EXIF orientation is ignored): the search
/// finds codes at any angle. HEIC is refused with [`QrError::Heic`].
#[cfg(feature = "native")]
pub fn decode_picture(bytes: &[u8]) -> Result<String, QrError> {
    use image::{ImageError, ImageFormat, ImageReader, Limits};

    let format = match picture_kind(bytes) {
        PictureKind::Png => ImageFormat::Png,
        PictureKind::Jpeg => ImageFormat::Jpeg,
        PictureKind::Heic => return Err(QrError::Heic),
        PictureKind::Other => return Err(QrError::NotPicture),
    };
    let why = |e: ImageError| match e {
        ImageError::Limits(_) => QrError::TooLarge,
        _ => QrError::NotPicture,
    };
    let reader = || {
        let mut r = ImageReader::with_format(std::io::Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_alloc = Some(MAX_DECODE_ALLOC);
        r.limits(limits);
        r
    };
    let (w, h) = reader().into_dimensions().map_err(why)?;
    let (w, h) = (w as usize, h as usize);
    if w == 0 || h == 0 {
        return Err(QrError::NotPicture);
    }
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(QrError::TooLarge);
    }
    let luma = reader().decode().map_err(why)?.into_luma8();
    let grey = |x: usize, y: usize| luma.as_raw()[y * w + x];
    let factor = w.max(h).div_ceil(SEARCH_SIDE);
    if factor > 1 {
        let (sw, sh) = (w / factor, h / factor);
        let mut small = vec![0u8; sw * sh];
        let area = (factor * factor) as u32;
        for sy in 0..sh {
            for sx in 0..sw {
                let mut sum = 0u32;
                for y in sy * factor..(sy + 1) * factor {
                    let row = &luma.as_raw()[y * w + sx * factor..y * w + (sx + 1) * factor];
                    sum += row.iter().map(|&p| u32::from(p)).sum::<u32>();
                }
                small[sy * sw + sx] = (sum / area) as u8;
            }
        }
        if let Some(text) = search(sw, sh, |x, y| small[y * sw + x]) {
            return Ok(text);
        }
    }
    search(w, h, grey).ok_or(QrError::NotFound)
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
    fn printable_page_decodes_to_the_exact_link() {
        let text = link("relay.example.org");
        let mut png = Vec::new();
        write_print_png(
            &encode(&text).expect("encode"),
            &["Shared information", "Scan to open"],
            &[
                "Valid until 6 December 2026, 17:30 UTC",
                "Uses: 1",
                "Withdraw id: 3f9a0c1d2e4b",
            ],
            &mut png,
        )
        .expect("page");
        assert_eq!(decode_png(&png[..]).expect("decode"), text);
        #[cfg(feature = "native")]
        assert_eq!(decode_picture(&png).expect("decode"), text);
    }

    #[test]
    fn printable_page_letters_are_drawn() {
        let code = encode(&link("relay.example.org")).expect("encode");
        let (mut with, mut without) = (Vec::new(), Vec::new());
        write_print_png(&code, &["A"], &["Uses: 1"], &mut with).expect("page");
        write_print_png(&code, &[" "], &["       "], &mut without).expect("page");
        assert_ne!(with, without);
    }

    #[test]
    fn tells_pictures_apart_by_their_first_bytes() {
        let mut png = Vec::new();
        write_png(&encode("X").expect("encode"), &mut png).expect("png");
        assert_eq!(picture_kind(&png), PictureKind::Png);
        assert_eq!(picture_kind(&[0xff, 0xd8, 0xff, 0xe1]), PictureKind::Jpeg);
        let ftyp = |major: &[u8; 4], compat: &[u8]| {
            let mut b = Vec::new();
            b.extend_from_slice(&(16 + compat.len() as u32).to_be_bytes());
            b.extend_from_slice(b"ftyp");
            b.extend_from_slice(major);
            b.extend_from_slice(&[0; 4]);
            b.extend_from_slice(compat);
            b.extend_from_slice(&[0; 64]);
            b
        };
        assert_eq!(picture_kind(&ftyp(b"heic", b"mif1heic")), PictureKind::Heic);
        assert_eq!(picture_kind(&ftyp(b"mif1", b"heix")), PictureKind::Heic);
        assert_eq!(picture_kind(&ftyp(b"avif", b"mif1")), PictureKind::Other);
        assert_eq!(picture_kind(&ftyp(b"isom", b"mp41")), PictureKind::Other);
        assert_eq!(picture_kind(b"GIF89a"), PictureKind::Other);
        assert_eq!(picture_kind(b""), PictureKind::Other);
        assert_eq!(picture_kind(b"\0\0\0\x08ftypheic"), PictureKind::Other);
    }

    #[cfg(feature = "native")]
    #[test]
    fn reads_a_big_jpeg_photo_and_refuses_heic_and_other_formats() {
        use image::{GrayImage, Luma};
        let text = link("relay.example.org");
        let code = encode(&text).expect("encode");
        // A 4000 × 3000 grey "photo" with the code 1,200 pixels wide in it,
        // as JPEG at quality 80: scaled down before the search.
        let mut photo = GrayImage::from_pixel(4000, 3000, Luma([150]));
        let w = code.width();
        let scale = 1200 / (w + 2 * QUIET_ZONE);
        let colors = code.to_colors();
        for y in 0..(w + 2 * QUIET_ZONE) * scale {
            for x in 0..(w + 2 * QUIET_ZONE) * scale {
                let (mx, my) = (x / scale, y / scale);
                let dark = (QUIET_ZONE..w + QUIET_ZONE).contains(&mx)
                    && (QUIET_ZONE..w + QUIET_ZONE).contains(&my)
                    && colors[(my - QUIET_ZONE) * w + mx - QUIET_ZONE] == Color::Dark;
                photo.put_pixel(
                    (1400 + x) as u32,
                    (900 + y) as u32,
                    Luma([if dark { 20 } else { 235 }]),
                );
            }
        }
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
            .encode_image(&photo)
            .expect("jpeg");
        assert_eq!(decode_picture(&jpeg).expect("decode"), text);

        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic\0\0\0\0";
        assert!(matches!(decode_picture(heic), Err(QrError::Heic)));
        assert!(matches!(
            decode_picture(b"GIF89a......"),
            Err(QrError::NotPicture)
        ));
        // A JPEG cut short is "not a picture that can be read", not a panic.
        assert!(matches!(
            decode_picture(&jpeg[..200]),
            Err(QrError::NotPicture)
        ));
        assert!(QrError::Heic.to_string().contains("screenshot"));
    }

    #[cfg(feature = "native")]
    #[test]
    fn refuses_a_jpeg_of_more_than_40_million_pixels_before_decoding_it() {
        // A small real JPEG whose header (SOF0) is changed to claim
        // 10,000 × 10,000 pixels.
        let mut huge = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut huge)
            .encode_image(&image::GrayImage::new(16, 16))
            .expect("jpeg");
        let sof = huge
            .windows(2)
            .position(|w| w == [0xff, 0xc0])
            .expect("a SOF0 marker");
        huge[sof + 5..sof + 9].copy_from_slice(&[0x27, 0x10, 0x27, 0x10]);
        assert!(matches!(decode_picture(&huge), Err(QrError::TooLarge)));
    }

    #[test]
    fn svg_and_terminal_renderings_are_made() {
        let code = encode(&link("relay.example.org")).expect("encode");
        assert!(to_svg(&code).starts_with("<?xml"));
        let term = to_terminal(&code);
        assert!(term.contains('█'));
    }
}
