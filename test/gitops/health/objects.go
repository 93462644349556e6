package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	k8sjson "k8s.io/apimachinery/pkg/util/json"
)

// parseObjects reads a JSON array of objects, one object, or a List of objects. Numbers become int64
// where they are whole (as the API machinery decodes them), which kstatus's field readers expect.
func parseObjects(input []byte) ([]*unstructured.Unstructured, error) {
	trimmed := bytes.TrimSpace(input)
	if len(trimmed) == 0 {
		return nil, errors.New("stdin is empty: expected a JSON array of Kubernetes objects or one object")
	}
	var doc any
	if err := k8sjson.Unmarshal(trimmed, &doc); err != nil {
		return nil, fmt.Errorf("stdin is not JSON: %v", err)
	}

	var items []any
	switch v := doc.(type) {
	case []any:
		items = v
	case map[string]any:
		kind, _ := v["kind"].(string)
		if list, ok := v["items"].([]any); ok && strings.HasSuffix(kind, "List") {
			items = list
		} else {
			items = []any{v}
		}
	default:
		return nil, fmt.Errorf("stdin holds a JSON %s: expected an array of Kubernetes objects or one object", jsonType(doc))
	}

	objects := make([]*unstructured.Unstructured, 0, len(items))
	for i, item := range items {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("item %d is a JSON %s, not a Kubernetes object", i, jsonType(item))
		}
		obj := &unstructured.Unstructured{Object: m}
		if obj.GetKind() == "" || obj.GetAPIVersion() == "" {
			return nil, fmt.Errorf("item %d has no apiVersion or kind", i)
		}
		if _, ok := m["metadata"].(map[string]any); !ok {
			return nil, fmt.Errorf("item %d (%s) has no metadata object", i, obj.GetKind())
		}
		objects = append(objects, obj)
	}
	return objects, nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return "number"
	}
}
