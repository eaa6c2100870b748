from workflow.cli.app import main

main()
