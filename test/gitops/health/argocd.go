package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// The health statuses Argo CD accepts from a script.
var argoHealthStatuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

// What Argo CD shows when a script returns another status.
const invalidStatusMessage = "Lua returned an invalid health status"

// Argo CD stops a health script after one second.
const scriptTimeout = time.Second

// scriptPath names the script that Argo CD's `resource.customizations.health.<group>_<Kind>` key holds
// (`<Kind>.lua` for the core group).
func scriptPath(dir string, obj *unstructured.Unstructured) string {
	gvk := obj.GroupVersionKind()
	name := gvk.Kind + ".lua"
	if gvk.Group != "" {
		name = gvk.Group + "_" + name
	}
	return filepath.Join(dir, name)
}

// argoVerdict is what Argo CD reports for the object with the kind's script as its health
// customization. Like Argo CD, an object being deleted is "Pending deletion" without running the script,
// and a script that fails or returns something else than a health status yields Unknown (the error field
// says why); a kind without a script gets no status at all.
func argoVerdict(dir string, obj *unstructured.Unstructured, openLibs bool) Verdict {
	if obj.GetDeletionTimestamp() != nil {
		return Verdict{Status: "Progressing", Message: "Pending deletion"}
	}
	path := scriptPath(dir, obj)
	script, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Verdict{Error: fmt.Sprintf("no health script %s for %s", filepath.Base(path), obj.GetKind())}
	}
	if err != nil {
		return Verdict{Error: err.Error()}
	}
	status, message, err := runHealthScript(string(script), obj.Object, openLibs)
	if err != nil {
		return Verdict{Status: "Unknown", Message: err.Error(), Error: fmt.Sprintf("%s: %v", filepath.Base(path), err)}
	}
	if !argoHealthStatuses[status] {
		return Verdict{
			Status:  "Unknown",
			Message: invalidStatusMessage,
			Error:   fmt.Sprintf("%s returned status %q, not one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown", filepath.Base(path), status),
		}
	}
	return Verdict{Status: status, Message: message}
}

// runHealthScript runs a script in a fresh Lua state with the object as the global `obj`, and reads the
// status and message of the table it returns.
//
// The state has the base and table libraries, which is what Argo CD gives a health customization from
// argocd-cm unless `resource.customizations.useOpenLibs.<group>_<Kind>` is set; openLibs adds string
// and math (the harmless part of what that setting opens). Argo CD also opens its package library and a
// reduced os library; neither is here, so a script cannot load files or read the clock, and dofile and
// loadfile are removed from the base library.
func runHealthScript(script string, object map[string]any, openLibs bool) (string, string, error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	type library struct {
		name string
		open lua.LGFunction
	}
	libs := []library{{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}}
	if openLibs {
		libs = append(libs, library{lua.StringLibName, lua.OpenString}, library{lua.MathLibName, lua.OpenMath})
	}
	for _, lib := range libs {
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return "", "", fmt.Errorf("opening the %s library: %w", lib.name, err)
		}
	}
	for _, name := range []string{"dofile", "loadfile"} {
		L.SetGlobal(name, lua.LNil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	L.SetContext(ctx)

	L.SetGlobal("obj", toLua(L, object))
	if err := L.DoString(script); err != nil {
		return "", "", err
	}
	ret := L.Get(-1)
	table, ok := ret.(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("expect table output from Lua script, not %s", ret.Type())
	}
	var status, message string
	for key, into := range map[string]*string{"status": &status, "message": &message} {
		switch v := table.RawGetString(key).(type) {
		case *lua.LNilType:
		case lua.LString:
			*into = string(v)
		default:
			return "", "", fmt.Errorf("the returned %s is a %s, not a string", key, v.Type())
		}
	}
	return status, message, nil
}

// toLua converts decoded JSON: objects and arrays become tables (arrays 1-based), numbers Lua numbers,
// null nil.
func toLua(L *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(v)
	case string:
		return lua.LString(v)
	case int64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case map[string]any:
		t := L.CreateTable(0, len(v))
		for k, item := range v {
			t.RawSetString(k, toLua(L, item))
		}
		return t
	case []any:
		t := L.CreateTable(len(v), 0)
		for i, item := range v {
			t.RawSetInt(i+1, toLua(L, item))
		}
		return t
	default:
		return lua.LString(fmt.Sprint(v))
	}
}
