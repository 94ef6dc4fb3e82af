// Flux's own health checks over our Kustomizations, run with kustomize-controller's code.
//
// This file is built inside a copy of kustomize-controller v1.9.4's module source
// (infra/local/binaries.mjs, "flux-health"), as cmd/kratos-spa-health, so every package it calls
// is at the version the controller ships. It is ours, not Flux's. For each Kustomization of the
// input it does what the controller does before it applies anything:
//
//   - decodes the object into kustomize-controller's own API type (api/v1 Kustomization), refusing
//     unknown fields;
//   - builds the status reader of spec.healthCheckExprs with the function the reconciler calls
//     (internal/controller/kustomization_controller.go: cel.NewStatusReader), so an expression the
//     controller would refuse (and mark the Kustomization Stalled for) is refused here;
//
// then reads each sample object's health with that reader, as the controller's poller does for an
// applied object of that kind (github.com/fluxcd/pkg/runtime/cel StatusReader.ReadStatusForObject).
//
// Usage: kratos-spa-health -kustomizations flux.yaml -objects samples.yaml
// Prints one JSON document: {"kustomizations": [{"name": ..., "error": "...",
// "results": [{"kind": ..., "name": ..., "supported": bool, "status": "Current|InProgress|Failed|...", "message": ...}]}]}.
//
// With -decrypt FILE -age-key KEYFILE it decrypts FILE as the controller decrypts an encrypted
// manifest it applies: the first Kustomization with spec.decryption, its secretRef Secret holding
// KEYFILE as identity.agekey (in a client that holds only that Secret), then the controller's
// decryptor (internal/decryptor: New, ImportKeys, SopsDecryptWithFormat). Prints the decrypted YAML.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	kustomizev1 "github.com/fluxcd/kustomize-controller/api/v1"
	"github.com/fluxcd/kustomize-controller/internal/decryptor"
	"github.com/fluxcd/pkg/runtime/cel"
	"github.com/getsops/sops/v3/cmd/sops/formats"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/yaml"
)

type result struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Supported bool   `json:"supported"`
	Status    string `json:"status,omitempty"`
	Message   string `json:"message,omitempty"`
	Error     string `json:"error,omitempty"`
}

type report struct {
	Name    string   `json:"name"`
	Error   string   `json:"error,omitempty"`
	Results []result `json:"results,omitempty"`
}

func documents(file string) ([][]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out [][]byte
	for {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(doc)) > 0 {
			out = append(out, doc)
		}
	}
}

func decrypt(k *kustomizev1.Kustomization, file, keyFile string) {
	key, err := os.ReadFile(keyFile)
	if err != nil {
		fail(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		fail(err)
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: k.Spec.Decryption.SecretRef.Name, Namespace: k.Namespace},
		Data:       map[string][]byte{"identity.agekey": key},
	}
	c := fake.NewClientBuilder().WithScheme(clientgoscheme.Scheme).WithObjects(secret).Build()
	d, cleanup, err := decryptor.New(c, k)
	if err != nil {
		fail(err)
	}
	defer cleanup()
	if err := d.ImportKeys(context.Background()); err != nil {
		fail(err)
	}
	out, err := d.SopsDecryptWithFormat(data, formats.Yaml, formats.Yaml)
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
}

func main() {
	kustomizations := flag.String("kustomizations", "", "YAML with Flux Kustomization objects")
	objects := flag.String("objects", "", "YAML with objects to read the health of")
	decryptFile := flag.String("decrypt", "", "an encrypted manifest to decrypt as the controller does")
	ageKey := flag.String("age-key", "", "the age key file Flux's decryption Secret holds")
	flag.Parse()
	ks, err := documents(*kustomizations)
	if err != nil {
		fail(err)
	}
	if *decryptFile != "" {
		for _, doc := range ks {
			var k kustomizev1.Kustomization
			if err := yaml.UnmarshalStrict(doc, &k); err != nil {
				fail(err)
			}
			if k.Spec.Decryption != nil && k.Spec.Decryption.SecretRef != nil {
				decrypt(&k, *decryptFile, *ageKey)
				return
			}
		}
		fail(errors.New("no Kustomization with spec.decryption.secretRef"))
	}
	samples, err := documents(*objects)
	if err != nil {
		fail(err)
	}
	var reports []report
	for _, doc := range ks {
		var k kustomizev1.Kustomization
		if err := yaml.UnmarshalStrict(doc, &k); err != nil {
			reports = append(reports, report{Error: "decode: " + err.Error()})
			continue
		}
		r := report{Name: k.Name}
		ctor, err := cel.NewStatusReader(k.Spec.HealthCheckExprs)
		if err != nil {
			r.Error = err.Error()
			reports = append(reports, r)
			continue
		}
		reader := ctor(meta.NewDefaultRESTMapper([]schema.GroupVersion{}))
		for _, sample := range samples {
			u := &unstructured.Unstructured{}
			if err := yaml.Unmarshal(sample, &u.Object); err != nil {
				fail(err)
			}
			res := result{Kind: u.GetKind(), Name: u.GetName(), Supported: reader.Supports(u.GroupVersionKind().GroupKind())}
			if res.Supported {
				status, err := reader.ReadStatusForObject(context.Background(), nil, u)
				if err != nil {
					res.Error = err.Error()
				} else {
					res.Status = status.Status.String()
					res.Message = status.Message
				}
			}
			r.Results = append(r.Results, res)
		}
		reports = append(reports, r)
	}
	out, _ := json.Marshal(map[string]any{"kustomizations": reports})
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
