// CourseLoading: see the module's other files.
