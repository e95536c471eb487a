from intro_coach.cli import main

raise SystemExit(main())
