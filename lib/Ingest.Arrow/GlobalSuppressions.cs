using System.Diagnostics.CodeAnalysis;

// Arrow's own type names (int8 … float64) are the spec's vocabulary (style.md §9: spec concepts keep spec names).
[assembly: SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Arrow type names from the spec", Scope = "type", Target = "~T:Ingest.Arrow.ArrowTypeId")]
[assembly: SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Arrow type names from the spec", Scope = "type", Target = "~T:Ingest.Arrow.ArrowType")]
