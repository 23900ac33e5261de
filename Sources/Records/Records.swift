// Records: see the module's other files.
