import AcademyCLI

await AcademyCommand.runMain()
