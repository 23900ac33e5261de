/// What this binary is. `scripts/package.sh` builds with `ACADEMY_PACKAGED=1` (Package.swift then
/// defines `ACADEMY_PACKAGED` for this module) after writing `Generated/PackagedBuildInfo.swift`,
/// which is not committed. Every other build is a developer build and says so.
enum BuildInfo {
    #if ACADEMY_PACKAGED
        static let version = PackagedBuildInfo.version
        static let commit = PackagedBuildInfo.commit
        /// `ContentFingerprint` of the content shipped with this build.
        static let shippedContentSHA256: String? = PackagedBuildInfo.contentSHA256
    #else
        static let version = "dev"
        static let commit = "unknown (developer build)"
        static let shippedContentSHA256: String? = nil
    #endif
}
