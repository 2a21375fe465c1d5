namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// The sample layouts the PMD decoder handles, each verified against polar-ble-sdk
/// (<c>EcgData.kt</c>, <c>AccData.kt</c>, <c>PpgData.kt</c>, <c>PpiData.kt</c>; protocols.md §4.8).
/// </summary>
public enum PmdFrameLayout
{
    /// <summary>ECG raw type 0: int24 LE µV per sample (H10).</summary>
    EcgRaw0,

    /// <summary>
    /// ECG raw type 1, 3 bytes: bits 0–13 of bytes 0–1 an unsigned 14-bit µV value; byte 2 bit 0 oversampling,
    /// bits 1–2 skin contact, bits 3–4 contact impedance.
    /// </summary>
    EcgRaw1,

    /// <summary>
    /// ECG raw type 2, 3 bytes: bytes 0–1 plus bits 0–1 of byte 2 an unsigned µV value (the SDK masks with
    /// 0x3FFFFF); byte 2 bits 2–4 ECG data tag, bits 5–7 pace data tag.
    /// </summary>
    EcgRaw2,

    /// <summary>
    /// ECG raw type 3, 7 bytes: two int24 LE data fields and a status byte (<c>EcgData.dataFromRawType3</c>; the SDK gives
    /// the fields no unit).
    /// </summary>
    EcgRaw3,

    /// <summary>ACC raw type 0: x, y, z int8, mG.</summary>
    AccRaw0,

    /// <summary>ACC raw type 1: x, y, z int16 LE, mG.</summary>
    AccRaw1,

    /// <summary>ACC raw type 2: x, y, z int24 LE, mG.</summary>
    AccRaw2,

    /// <summary>PPG raw type 0: three LED channels and ambient, int24 LE each.</summary>
    PpgRaw0,

    /// <summary>PPI type 0, 6 bytes: HR u8, PP interval u16 ms, error estimate u16 ms, flags u8.</summary>
    PpiRaw0,

    /// <summary>Any delta-compressed type (ECG 0, ACC 0/1, PPG 0): see <see cref="PmdDeltaCodec"/>.</summary>
    Delta,
}
