/// Finds the first number a person would read in a text: `-3`, `1,234.50`, `.5`, `6.02e23`,
/// without taking the hyphen of `A-10023` for a minus sign.
enum NumberScanner {
    struct Found: Equatable {
        var value: Double
        /// The number as written in the text.
        var text: String
    }

    static func firstNumber(in text: String) -> Found? {
        var text = text
        return text.withUTF8 { scan($0) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Bytes that make a preceding `-` a hyphen rather than a sign: letters, digits, any non-ASCII.
    private static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte >= 0x80 || byte == 0x5F
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Found? {
        let count = bytes.count
        var i = 0
        while i < count {
            let byte = bytes[i]
            let startsNumber =
                isDigit(byte)
                || (byte == 0x2E && i + 1 < count && isDigit(bytes[i + 1]) && (i == 0 || !isDigit(bytes[i - 1])))
            guard startsNumber else {
                i += 1
                continue
            }
            var negative = false
            var start = i
            if i >= 1, bytes[i - 1] == 0x2D, i < 2 || !isWordByte(bytes[i - 2]) {
                negative = true
                start = i - 1
            } else if i >= 3, bytes[i - 3] == 0xE2, bytes[i - 2] == 0x88, bytes[i - 1] == 0x92,
                i < 4 || !isWordByte(bytes[i - 4])
            {
                negative = true
                start = i - 3
            }
            var digits: [UInt8] = negative ? [0x2D] : []
            var j = i
            var integerDigits = 0
            while j < count, isDigit(bytes[j]) {
                digits.append(bytes[j])
                integerDigits += 1
                j += 1
            }
            if integerDigits >= 1 && integerDigits <= 3 {
                while j + 3 < count, bytes[j] == 0x2C,
                    isDigit(bytes[j + 1]), isDigit(bytes[j + 2]), isDigit(bytes[j + 3]),
                    j + 4 >= count || !isDigit(bytes[j + 4])
                {
                    digits.append(contentsOf: bytes[(j + 1)...(j + 3)])
                    j += 4
                }
            }
            if j + 1 < count, bytes[j] == 0x2E, isDigit(bytes[j + 1]) {
                digits.append(0x2E)
                j += 1
                while j < count, isDigit(bytes[j]) {
                    digits.append(bytes[j])
                    j += 1
                }
            }
            if j + 1 < count, bytes[j] | 0x20 == 0x65 {
                var k = j + 1
                var exponent: [UInt8] = [0x65]
                if bytes[k] == 0x2B || bytes[k] == 0x2D {
                    exponent.append(bytes[k])
                    k += 1
                }
                if k < count, isDigit(bytes[k]) {
                    while k < count, isDigit(bytes[k]) {
                        exponent.append(bytes[k])
                        k += 1
                    }
                    digits.append(contentsOf: exponent)
                    j = k
                }
            }
            let written = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<j]), as: UTF8.self)
            if let value = Double(String(decoding: digits, as: UTF8.self)), value.isFinite {
                return Found(value: value, text: written)
            }
            i = j
        }
        return nil
    }
}
