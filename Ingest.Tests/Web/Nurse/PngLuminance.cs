using System.Buffers.Binary;
using System.IO.Compression;

namespace Ingest.Tests.Web.Nurse;

/// <summary>
/// Just enough of PNG (ISO/IEC 15948) to read a QR code back: non-interlaced, bit depth 1–8 grayscale or palette, or
/// 8-bit RGB/RGBA (what QRCoder writes and what Chromium's screenshots are), to one luminance byte per pixel for ZXing.
/// </summary>
internal static class PngLuminance
{
    public static (byte[] Luminance, int Width, int Height) Decode(byte[] png)
    {
        ReadOnlySpan<byte> signature = [137, 80, 78, 71, 13, 10, 26, 10];
        Assert.True(png.AsSpan(0, 8).SequenceEqual(signature), "not a PNG");
        int width = 0, height = 0, bitDepth = 0, colorType = 0;
        byte[]? palette = null;
        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    bitDepth = data[8];
                    colorType = data[9];
                    Assert.Equal(0, data[12]); // not interlaced
                    break;
                case "PLTE":
                    palette = data.ToArray();
                    break;
                case "IDAT":
                    idat.Write(data);
                    break;
            }

            offset += 12 + length;
        }

        var channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new InvalidDataException("color type " + colorType) };
        var bitsPerPixel = channels * bitDepth;
        var stride = ((width * bitsPerPixel) + 7) / 8;
        var bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var previous = new byte[stride];
        var current = new byte[stride];
        var luminance = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            raw.AsSpan((y * (stride + 1)) + 1, stride).CopyTo(current);
            Unfilter(filter, current, previous, bytesPerPixel);
            for (var x = 0; x < width; x++)
            {
                luminance[(y * width) + x] = Pixel(current, x, bitDepth, colorType, palette);
            }

            (previous, current) = (current, previous);
        }

        return (luminance, width, height);
    }

    private static void Unfilter(byte filter, byte[] row, byte[] above, int bpp)
    {
        for (var i = 0; i < row.Length; i++)
        {
            int left = i >= bpp ? row[i - bpp] : 0, up = above[i], upLeft = i >= bpp ? above[i - bpp] : 0;
            row[i] = (byte)(row[i] + filter switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) / 2,
                4 => Paeth(left, up, upLeft),
                _ => throw new InvalidDataException("filter " + filter),
            });
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte Pixel(byte[] row, int x, int bitDepth, int colorType, byte[]? palette)
    {
        if (colorType is 2 or 6)
        {
            var stride = colorType == 2 ? 3 : 4;
            int r = row[x * stride], g = row[(x * stride) + 1], b = row[(x * stride) + 2];
            return (byte)(((r * 299) + (g * 587) + (b * 114)) / 1000);
        }

        if (colorType == 4)
        {
            return row[x * 2];
        }

        var perByte = 8 / bitDepth;
        var value = (row[x / perByte] >> (8 - (bitDepth * ((x % perByte) + 1)))) & ((1 << bitDepth) - 1);
        if (colorType == 3)
        {
            Assert.NotNull(palette);
            int r = palette[value * 3], g = palette[(value * 3) + 1], b = palette[(value * 3) + 2];
            return (byte)(((r * 299) + (g * 587) + (b * 114)) / 1000);
        }

        return (byte)(value * 255 / ((1 << bitDepth) - 1));
    }

    /// <summary>The text of the QR code in <paramref name="png"/>, read by ZXing.</summary>
    public static string DecodeQr(byte[] png)
    {
        var (luminance, width, height) = Decode(png);
        var source = new ZXing.RGBLuminanceSource(luminance, width, height, ZXing.RGBLuminanceSource.BitmapFormat.Gray8);
        var hints = new Dictionary<ZXing.DecodeHintType, object> { [ZXing.DecodeHintType.TRY_HARDER] = true };

        // The hybrid binarizer suits camera images; a crisp screenshot of a scaled code may need the global one.
        var result = new ZXing.QrCode.QRCodeReader().decode(new ZXing.BinaryBitmap(new ZXing.Common.HybridBinarizer(source)), hints)
            ?? new ZXing.QrCode.QRCodeReader().decode(new ZXing.BinaryBitmap(new ZXing.Common.GlobalHistogramBinarizer(source)), hints);
        Assert.True(result is not null, $"ZXing found no QR code in the {width}x{height} image");
        return result.Text;
    }
}
