// compose-config loads and validates a Compose file the way `docker compose config`
// does (with compose-go, the loader Docker Compose itself uses: the Compose
// specification's JSON schema, interpolation, extends and merges, then the model's own
// checks) and prints the resolved file. For machines with the docker CLI but without
// its compose plugin. Usage: compose-config -f FILE [-f FILE...]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var paths files
	flag.Var(&paths, "f", "compose file (repeatable)")
	flag.Parse()
	if len(paths) == 0 {
		fmt.Fprintln(os.Stderr, "usage: compose-config -f FILE [-f FILE...]")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions(paths, cli.WithOsEnv, cli.WithDotEnv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}
