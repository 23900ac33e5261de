// Rosters: see the module's other files.
