namespace Ingest.Pipeline.Profiles;

/// <summary>
/// Finds a profile the way a person names one on the command line (<c>decode --profile</c>, <c>enroll --profile</c>,
/// <c>profiles validate</c>): its folder, its profile.json, or its id, i.e. a folder of that name in the profiles folder.
/// </summary>
public static class ProfileLocator
{
    /// <summary>
    /// The folder or file <paramref name="profile"/> names, or null when it is neither an existing path nor the id of a
    /// profile folder in <paramref name="profilesDirectory"/> (resolved with <see cref="ProfileLoader.ResolveDirectory"/>).
    /// </summary>
    public static string? Find(string profile, string? profilesDirectory)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Length == 0)
        {
            return null;
        }

        if (Directory.Exists(profile) || File.Exists(profile))
        {
            return profile;
        }

        // An id is a single folder name; anything with a separator was meant as a path and does not exist.
        if (profile.AsSpan().IndexOfAny('/', '\\') >= 0 || profile is "." or "..")
        {
            return null;
        }

        var byId = Path.Combine(ProfileLoader.ResolveDirectory(profilesDirectory), profile);
        return Directory.Exists(byId) ? byId : null;
    }
}
