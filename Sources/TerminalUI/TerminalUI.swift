// TerminalUI: see the module's other files.
