import CIsal
import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of one log file, inflated when the file is gzip (detected from its magic bytes, not its
/// name), with a bound on the decompressed size and a hash of the raw bytes as they are read.
///
/// gzip goes through ISA-L's inflate (two to three times zlib's speed) when pare was built with it
/// (`libisal-dev`; without it, zlib inflates alone: see `Sources/CIsal/shim.h`). Should ISA-L stop for any
/// reason (corrupt or truncated data, anything unexpected), the file is read again from its start with
/// zlib, which skips the bytes already delivered and then goes on: the failure and its message are
/// then zlib's, exactly as if zlib had read the whole file.
final class ByteSource {
    enum Failure: Equatable {
        case unreadable(String)
        case truncatedGzip
        case corruptGzip(String)
        case tooLarge(Int64)
    }

    private let fd: Int32
    private let input: UnsafeMutableRawBufferPointer
    /// ISA-L's state while it inflates; `nil` once zlib has taken over (or for plain files, or without ISA-L).
    private var fast: OpaquePointer?
    /// zlib output still to be discarded after a take-over: what ISA-L already delivered.
    private var replay: Int64 = 0
    private var inputStart = 0
    private var inputEnd = 0
    private var fileEOF = false
    private var stream: UnsafeMutablePointer<z_stream>?
    private var streamEnded = false
    private let maximumBytes: Int64

    private(set) var isGzip = false
    private(set) var rawBytes: Int64 = 0
    private(set) var producedBytes: Int64 = 0
    private(set) var failure: Failure?
    private var crc: UInt32 = 0
    private var adler: UInt32 = 1

    /// Opens `path`; a file that cannot be opened yields a source whose `failure` says why. `isal` is
    /// the caller's ISA-L state, reused from file to file.
    init(
        path: String, maximumBytes: Int64, inputBuffer: UnsafeMutableRawBufferPointer,
        isal: OpaquePointer?
    ) {
        self.input = inputBuffer
        self.maximumBytes = maximumBytes
        fd = open(path, O_RDONLY)
        if fd < 0 {
            failure = .unreadable(String(cString: strerror(errno)).lowercased())
            return
        }
        refillInput()
        if inputEnd - inputStart >= 2, input[0] == 0x1F, input[1] == 0x8B {
            isGzip = true
            // ISA-L only where zlib can take over by reading the file again from its start (not a pipe).
            if let isal, !Self.hasReservedFlags(input, at: inputStart, end: inputEnd), lseek(fd, 0, SEEK_CUR) >= 0 {
                pare_isal_start(isal, 1)
                fast = isal
            } else {
                // zlib from the first byte, with nothing read again.
                startZlib()
            }
        }
    }

    /// Whether the gzip member header at `start` sets a reserved flag bit (`FLG` bits 5-7): zlib refuses
    /// it, ISA-L does not, so zlib reads such a file and reports it.
    private static func hasReservedFlags(_ input: UnsafeMutableRawBufferPointer, at start: Int, end: Int) -> Bool {
        end - start >= 4 && input[start + 3] & 0xE0 != 0
    }

    /// zlib from the start of the file, to replay what ISA-L delivered and go on from there.
    private func takeOver() {
        fast = nil
        replay = producedBytes
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            failure = .unreadable(String(cString: strerror(errno)).lowercased())
            return
        }
        inputStart = 0
        inputEnd = 0
        fileEOF = false
        rawBytes = 0
        crc = 0
        adler = 1
        startZlib()
    }

    private func startZlib() {
        let s = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        s.initialize(to: z_stream())
        // 15 + 16: a gzip wrapper with the largest window.
        if inflateInit2_(s, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) != Z_OK {
            s.deallocate()
            failure = .corruptGzip("cannot initialise zlib")
        } else {
            stream = s
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if let stream {
            inflateEnd(stream)
            stream.deallocate()
        }
    }

    /// `crc32` and `adler32` of the raw bytes read so far, as 16 hex digits (ISA-L computes both, with
    /// the same values as zlib's `crc32` and `adler32`).
    var contentHash: String { Self.hex(crc, adler) }

    static func hex(_ crc: UInt32, _ adler: UInt32) -> String {
        let value = UInt64(crc) << 32 | UInt64(adler)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Reads the whole file and returns its content hash (the same as ``contentHash`` after a full read).
    static func contentHash(path: String, buffer: UnsafeMutableRawBufferPointer) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0, let base = buffer.baseAddress else { return nil }
        defer { close(fd) }
        var crc: UInt32 = 0
        var adler: UInt32 = 1
        while true {
            let n = read(fd, base, buffer.count)
            if n < 0 { return nil }
            if n == 0 { break }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            crc = pare_crc32(crc, bytes, UInt64(n))
            adler = pare_adler32(adler, bytes, UInt64(n))
        }
        return hex(crc, adler)
    }

    private func refillInput() {
        guard !fileEOF, let base = input.baseAddress else { return }
        if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        }
        let n = read(fd, base + inputEnd, input.count - inputEnd)
        if n < 0 {
            failure = .unreadable(String(cString: strerror(errno)).lowercased())
            fileEOF = true
            return
        }
        if n == 0 {
            fileEOF = true
            return
        }
        let bytes = (base + inputEnd).assumingMemoryBound(to: UInt8.self)
        crc = pare_crc32(crc, bytes, UInt64(n))
        adler = pare_adler32(adler, bytes, UInt64(n))
        inputEnd += n
        rawBytes += Int64(n)
    }

    /// Reads up to `capacity` bytes into `destination`; 0 at the end of the data or after a failure.
    func next(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        guard failure == nil, capacity > 0 else { return 0 }
        let n = isGzip ? inflate(into: destination, capacity: capacity) : copy(into: destination, capacity: capacity)
        producedBytes += Int64(n)
        if producedBytes > maximumBytes {
            failure = .tooLarge(maximumBytes)
            return 0
        }
        return n
    }

    private func copy(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        if inputStart == inputEnd { refillInput() }
        guard let base = input.baseAddress, inputStart < inputEnd else { return 0 }
        let n = min(capacity, inputEnd - inputStart)
        destination.copyMemory(from: base + inputStart, byteCount: n)
        inputStart += n
        return n
    }

    private func inflate(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        if fast != nil, let n = inflateFast(into: destination, capacity: capacity) { return n }
        while replay > 0 {
            let n = inflateZlib(into: destination, capacity: Int(min(Int64(capacity), replay)))
            if n == 0 { return 0 }
            replay -= Int64(n)
        }
        return inflateZlib(into: destination, capacity: capacity)
    }

    /// ISA-L: the bytes produced, 0 at the end of the data, `nil` when zlib takes over.
    private func inflateFast(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int? {
        guard let s = fast, let base = input.baseAddress else { return 0 }
        var produced = 0
        while produced == 0 {
            if inputStart == inputEnd { refillInput() }
            if failure != nil { return 0 }
            if pare_isal_finished(s) != 0 {
                // Another gzip member may follow (concatenated gzip files are valid gzip).
                guard inputStart < inputEnd else { return 0 }
                if Self.hasReservedFlags(input, at: inputStart, end: inputEnd) {
                    takeOver()
                    return nil
                }
                pare_isal_start(s, 0)
            }
            if inputStart == inputEnd, fileEOF {
                takeOver()
                return nil
            }
            var inputLeft: UInt32 = 0
            var outputLeft: UInt32 = 0
            let status = pare_isal_inflate(
                s, (base + inputStart).assumingMemoryBound(to: UInt8.self), UInt32(inputEnd - inputStart),
                destination.assumingMemoryBound(to: UInt8.self), UInt32(capacity), &inputLeft, &outputLeft)
            inputStart = inputEnd - Int(inputLeft)
            produced = capacity - Int(outputLeft)
            guard status == 0 else {
                takeOver()
                return nil
            }
        }
        return produced
    }

    private func inflateZlib(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        guard let s = stream, let base = input.baseAddress else { return 0 }
        var produced = 0
        while produced == 0 {
            if inputStart == inputEnd { refillInput() }
            if failure != nil { return 0 }
            if streamEnded {
                // Another gzip member may follow (concatenated gzip files are valid gzip).
                guard inputStart < inputEnd else { return 0 }
                inflateReset(s)
                streamEnded = false
            }
            if inputStart == inputEnd, fileEOF {
                failure = .truncatedGzip
                return 0
            }
            s.pointee.next_in = (base + inputStart).assumingMemoryBound(to: UInt8.self)
            s.pointee.avail_in = UInt32(inputEnd - inputStart)
            s.pointee.next_out = (destination + produced).assumingMemoryBound(to: UInt8.self)
            s.pointee.avail_out = UInt32(capacity - produced)
            let status = CZlib.inflate(s, Z_NO_FLUSH)
            inputStart = inputEnd - Int(s.pointee.avail_in)
            produced = capacity - Int(s.pointee.avail_out)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                streamEnded = true
                if produced == 0 { continue }
            default:
                let message = s.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                failure = .corruptGzip(message)
                return produced
            }
        }
        return produced
    }
}
