// Spreadsheets: see the module's other files.
