from wangjian.cli import main

main()
