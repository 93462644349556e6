// Command gitops-health judges Kubernetes objects the way two GitOps tools do: with Flux's kstatus
// (what a Kustomization's `wait` and `healthChecks` use) and with an Argo CD resource health
// customization written in Lua. Tests feed it objects and compare the two verdicts.
//
//	gitops-health --lua-dir DIR < objects.json
//
// stdin holds a JSON array of objects, a single object, or a List (`kubectl get -o json`). For each
// object one JSON line is printed on stdout:
//
//	{"kind":…,"namespace":…,"name":…,"kstatus":{"status":…,"message":…},"argocd":{"status":…,"message":…}}
//
// The Argo CD verdict is what Argo CD would show with DIR/<group>_<Kind>.lua as the kind's health
// customization (argocd.go). A verdict that could not be computed, or a script that misbehaves, carries an
// "error" field instead of failing the run; input that is not JSON objects makes the command exit with
// status 2.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
)

// Verdict is one tool's opinion of an object.
type Verdict struct {
	Status  string `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error,omitempty"`
}

// Line is what is printed for one object.
type Line struct {
	APIVersion string  `json:"apiVersion"`
	Kind       string  `json:"kind"`
	Namespace  string  `json:"namespace,omitempty"`
	Name       string  `json:"name"`
	KStatus    Verdict `json:"kstatus"`
	ArgoCD     Verdict `json:"argocd"`
}

func main() {
	luaDir := flag.String("lua-dir", "", "`DIR` holding the Argo CD health scripts, one <group>_<Kind>.lua per kind")
	openLibs := flag.Bool("open-libs", false, "also give the scripts Lua's string and math libraries (Argo CD: resource.customizations.useOpenLibs.<group>_<Kind>)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: gitops-health --lua-dir DIR < objects.json\n\n"+
			"Prints, for each object on stdin (a JSON array, one object or a List), one JSON line with\n"+
			"its kstatus (Flux) and Argo CD health verdicts.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *luaDir == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if info, err := os.Stat(*luaDir); err != nil || !info.IsDir() {
		fail("--lua-dir %s is not a directory", *luaDir)
	}

	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("reading stdin: %v", err)
	}
	objects, err := parseObjects(input)
	if err != nil {
		fail("%v", err)
	}

	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	for _, obj := range objects {
		line := Line{
			APIVersion: obj.GetAPIVersion(),
			Kind:       obj.GetKind(),
			Namespace:  obj.GetNamespace(),
			Name:       obj.GetName(),
			KStatus:    kstatusVerdict(obj),
			ArgoCD:     argoVerdict(*luaDir, obj, *openLibs),
		}
		if err := out.Encode(line); err != nil {
			fail("writing stdout: %v", err)
		}
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gitops-health: "+format+"\n", args...)
	os.Exit(2)
}
