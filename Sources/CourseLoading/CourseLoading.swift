// CourseLoading: reads the content set (provisions, courses, case studies, question banks,
// exam blueprints) from XML into Courseware values and lints it.
//
//   let loaded = try ContentLoader.load(paths: ["Courses", "QuestionBank"])
//   loaded.content       // ContentSet
//   loaded.diagnostics   // [Diagnostic], sorted by file, line, column; every one has a stable code
//   loaded.hasErrors
//
// Each file is parsed once by XMLSupport and validated in the same pass against the XSD for its
// root element (`DocumentKind`, schemas embedded from schemas/ by scripts/embed-schemas.sh);
// then `Linter` runs the checks an XSD cannot express (see its doc comment for the codes).
// Commands go through `ContentLocator` (the search order of `ContentSearch`, the configuration
// file `AcademyConfig`) and AcademyCLI's `ContentOptions` rather than calling this directly.
