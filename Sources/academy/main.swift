import AcademyCLI

AcademyCommand.main()
