package main

import (
	"github.com/fluxcd/cli-utils/pkg/kstatus/status"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// kstatusVerdict is Flux's judgement: the status kustomize-controller waits for (Current) or gives up
// on (Failed).
func kstatusVerdict(obj *unstructured.Unstructured) Verdict {
	res, err := status.Compute(obj)
	if err != nil {
		return Verdict{Error: err.Error()}
	}
	return Verdict{Status: res.Status.String(), Message: res.Message}
}
