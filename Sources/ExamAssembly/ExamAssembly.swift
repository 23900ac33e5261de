// ExamAssembly: see the module's other files.
