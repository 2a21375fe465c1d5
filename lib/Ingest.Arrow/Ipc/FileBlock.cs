namespace Ingest.Arrow.Ipc;

/// <summary>File.fbs <c>Block</c>: where a message starts (its continuation marker), its metadata length including the 8-byte prefix, and its body length.</summary>
internal readonly record struct FileBlock(long Offset, int MetadataLength, long BodyLength);
