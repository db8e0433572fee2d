import CZlib
import Foundation

/// A decoded 8-bit PNG (colour types 2 RGB and 6 RGBA, not interlaced): enough to check a screenshot's pixels.
struct PNGImage {
    struct DecodeError: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    /// Bytes per pixel: 3 or 4.
    let channels: Int
    /// Unfiltered rows, `width × channels` bytes each.
    let pixels: [UInt8]

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    init(_ data: [UInt8]) throws {
        guard data.count > 33, Array(data[0..<8]) == Self.signature else { throw DecodeError(description: "no PNG signature") }
        func be32(_ at: Int) -> Int { data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var header: (width: Int, height: Int, depth: UInt8, type: UInt8, interlace: UInt8)?
        var compressed: [UInt8] = []
        while offset + 8 <= data.count {
            let length = be32(offset)
            let type = String(decoding: data[offset + 4..<offset + 8], as: UTF8.self)
            let body = offset + 8
            guard length >= 0, body + length + 4 <= data.count else { throw DecodeError(description: "chunk \(type) runs past the end") }
            if type == "IHDR" {
                header = (be32(body), be32(body + 4), data[body + 8], data[body + 9], data[body + 12])
            } else if type == "IDAT" {
                compressed += data[body..<body + length]
            } else if type == "IEND" {
                break
            }
            offset = body + length + 4
        }
        guard let header else { throw DecodeError(description: "no IHDR chunk") }
        guard header.depth == 8, header.type == 2 || header.type == 6, header.interlace == 0 else {
            throw DecodeError(description: "unsupported PNG: depth \(header.depth), colour type \(header.type), interlace \(header.interlace)")
        }
        width = header.width
        height = header.height
        channels = header.type == 6 ? 4 : 3
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: (stride + 1) * height)
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else {
            throw DecodeError(description: "zlib status \(status), \(rawLength) of \(raw.count) bytes")
        }
        pixels = try Self.unfilter(raw, stride: stride, height: height, bytesPerPixel: channels)
    }

    /// Reverses the per-row filters (None, Sub, Up, Average, Paeth).
    private static func unfilter(_ raw: [UInt8], stride: Int, height: Int, bytesPerPixel bpp: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            let filter = raw[row * (stride + 1)]
            let input = row * (stride + 1) + 1, base = row * stride
            for i in 0..<stride {
                let a = i >= bpp ? Int(out[base + i - bpp]) : 0
                let b = row > 0 ? Int(out[base - stride + i]) : 0
                let c = row > 0 && i >= bpp ? Int(out[base - stride + i - bpp]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let p = a + b - c
                    let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw DecodeError(description: "row \(row) has unknown filter \(filter)")
                }
                out[base + i] = UInt8((Int(raw[input + i]) + predictor) & 0xFF)
            }
        }
        return out
    }

    /// Pixels whose red, green and blue are each within `tolerance` of `hex` (`#rrggbb`).
    func count(near hex: String, tolerance: Int = 20) -> Int {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        let target = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF]
        var matches = 0
        for p in Swift.stride(from: 0, to: pixels.count, by: channels)
        where abs(Int(pixels[p]) - target[0]) <= tolerance && abs(Int(pixels[p + 1]) - target[1]) <= tolerance
            && abs(Int(pixels[p + 2]) - target[2]) <= tolerance {
            matches += 1
        }
        return matches
    }
}
