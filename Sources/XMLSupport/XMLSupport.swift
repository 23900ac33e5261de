// XMLSupport: see the module's other files.
