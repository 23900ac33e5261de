// Grading: see the module's other files.
