namespace Ingest.Arrow.Ipc;

/// <summary>Counts the strings decoded from one schema or message against <see cref="ArrowLimits.MaxStringBudget"/>.</summary>
internal sealed class StringBudget
{
    private const int PerStringCost = 16; // an empty string still costs an object and a slot

    private long _spent;

    public string? Spend(string? value)
    {
        if (value is not null)
        {
            _spent += value.Length + PerStringCost;
            if (_spent > ArrowLimits.MaxStringBudget)
            {
                ThrowHelper.ThrowLimit("decoded string bytes", _spent, ArrowLimits.MaxStringBudget);
            }
        }

        return value;
    }
}
