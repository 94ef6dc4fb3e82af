// Envoy Gateway's own translation of what the cluster gets, run the way its controller runs it.
//
// This file is built inside a copy of Envoy Gateway's module source (infra/local/binaries.mjs,
// "eg-translate"), as cmd/kratos-spa-translate: the packages it calls are internal to that module.
// It is ours, not Envoy Gateway's. What it does differently from `egctl x translate`:
//
//   - the translator's settings come from an EnvoyGateway configuration file, decoded and
//     defaulted as the controller does (internal/cmd/server.go: config.Decode, then
//     SetEnvoyGatewayDefaults), and passed as internal/gatewayapi/runner/runner.go passes them
//     (GlobalRateLimitEnabled: RateLimit != nil, ...). egctl hard-wires GlobalRateLimitEnabled: true
//     (internal/cmd/egctl/translate.go), i.e. translates as if the rate-limit service were installed.
//   - the xDS translator gets the global rate-limit service only when the configuration has one
//     (internal/xds/runner/runner.go).
//   - the proxy Deployment and Service are rendered by Envoy Gateway's own infrastructure code
//     (internal/infrastructure/kubernetes/proxy ResourceRender), so the namespace and the labels of
//     the proxy pods are Envoy Gateway's, not ours.
//
// The input may hold EndpointSlices (the pods behind each Service, as a cluster lists them), which
// the file loader leaves out; they are read here.
//
// Usage: kratos-spa-translate -config envoy-gateway.yaml -resources in.yaml [-controller-namespace ns]
// Prints one JSON document: {"resources": <Gateway API resources with their statuses>,
// "xds": {<ir key>: {"listeners": [...], "routes": [...], "clusters": [...]}},
// "proxies": [{"deployment": ..., "service": ...}]}.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	resourcev3 "github.com/envoyproxy/go-control-plane/pkg/resource/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	gwapiv1 "sigs.k8s.io/gateway-api/apis/v1"
	"sigs.k8s.io/yaml"

	egv1a1 "github.com/envoyproxy/gateway/api/v1alpha1"
	"github.com/envoyproxy/gateway/internal/envoygateway/config"
	"github.com/envoyproxy/gateway/internal/gatewayapi"
	"github.com/envoyproxy/gateway/internal/gatewayapi/resource"
	"github.com/envoyproxy/gateway/internal/infrastructure/kubernetes"
	"github.com/envoyproxy/gateway/internal/infrastructure/kubernetes/proxy"
	"github.com/envoyproxy/gateway/internal/infrastructure/kubernetes/ratelimit"
	"github.com/envoyproxy/gateway/internal/logging"
	"github.com/envoyproxy/gateway/internal/xds/translator"
)

func main() {
	cfgPath := flag.String("config", "", "the EnvoyGateway configuration file (the controller's envoy-gateway.yaml)")
	inPath := flag.String("resources", "", "the Gateway API and Envoy Gateway resources, as YAML")
	controllerNamespace := flag.String("controller-namespace", "envoy-gateway-system", "the namespace Envoy Gateway's controller runs in")
	dnsDomain := flag.String("dns-domain", "cluster.local", "the cluster's DNS domain")
	flag.Parse()
	if err := run(*cfgPath, *inPath, *controllerNamespace, *dnsDomain, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(cfgPath, inPath, controllerNamespace, dnsDomain string, w io.Writer) error {
	eg, err := config.Decode(cfgPath)
	if err != nil {
		return fmt.Errorf("decoding %s: %w", cfgPath, err)
	}
	eg.SetEnvoyGatewayDefaults()

	in, err := os.ReadFile(inPath)
	if err != nil {
		return err
	}
	resources, err := resource.LoadResourcesFromYAMLBytes(in, false, eg)
	if err != nil {
		return fmt.Errorf("loading %s: %w", inPath, err)
	}
	if resources.GatewayClass == nil {
		return fmt.Errorf("%s has no GatewayClass whose controllerName is %s", inPath, eg.Gateway.ControllerName)
	}
	// Two things the file loader (internal/gatewayapi/resource/load.go) leaves out and a cluster
	// has. A Namespace is loaded by name alone, while the API server labels every namespace with
	// kubernetes.io/metadata.name (Kubernetes >= 1.22), which listeners' allowedRoutes selectors
	// match. And the one EnvoyProxy it loads is taken as the GatewayClass's, while the controller
	// gives a Gateway the EnvoyProxy its infrastructure.parametersRef names.
	for _, ns := range resources.Namespaces {
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels["kubernetes.io/metadata.name"] = ns.Name
	}
	if ep := resources.EnvoyProxyForGatewayClass; ep != nil {
		ref := resources.GatewayClass.Spec.ParametersRef
		forClass := ref != nil && string(ref.Name) == ep.Name && ref.Namespace != nil && string(*ref.Namespace) == ep.Namespace
		for _, g := range resources.Gateways {
			infra := g.Spec.Infrastructure
			if !forClass && g.Namespace == ep.Namespace && infra != nil && infra.ParametersRef != nil && infra.ParametersRef.Name == ep.Name {
				resources.EnvoyProxiesForGateways = append(resources.EnvoyProxiesForGateways, ep)
				resources.EnvoyProxyForGatewayClass = nil
				break
			}
		}
	}
	// Endpoints: the cluster's EndpointSlice controller lists each Service's ready pods, which the
	// controller routes to (endpoint routing, its default). The file loader skips EndpointSlices;
	// they are read here.
	if err := resource.IterYAMLBytes(in, func(doc []byte) error {
		var meta struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil || meta.Kind != "EndpointSlice" {
			return err
		}
		slice := &discoveryv1.EndpointSlice{}
		if err := yaml.Unmarshal(doc, slice); err != nil {
			return err
		}
		resources.EndpointSlices = append(resources.EndpointSlices, slice)
		return nil
	}); err != nil {
		return fmt.Errorf("reading EndpointSlices: %w", err)
	}
	// As egctl does: Services without a cluster IP make the translator drop their endpoints.
	for _, svc := range resources.Services {
		if svc.Spec.ClusterIP == "" {
			svc.Spec.ClusterIP = "10.96.1.2"
		}
	}

	logger := logging.DefaultLogger(io.Discard, egv1a1.LogLevelInfo)
	// The settings of internal/gatewayapi/runner/runner.go, read from the configuration.
	t := &gatewayapi.Translator{
		GatewayControllerName:           eg.Gateway.ControllerName,
		GatewayClassName:                gwapiv1.ObjectName(resources.GatewayClass.Name),
		GlobalRateLimitEnabled:          eg.RateLimit != nil,
		EnvoyPatchPolicyEnabled:         eg.ExtensionAPIs != nil && eg.ExtensionAPIs.EnableEnvoyPatchPolicy,
		BackendEnabled:                  eg.ExtensionAPIs != nil && eg.ExtensionAPIs.EnableBackend,
		SDSSecretRefEnabled:             eg.ExtensionAPIs != nil && eg.ExtensionAPIs.EnableSDSSecretRef,
		ControllerNamespace:             controllerNamespace,
		GatewayNamespaceMode:            eg.GatewayNamespaceMode(),
		MergeGateways:                   gatewayapi.IsMergeGatewaysEnabled(resources),
		MergeBackends:                   gatewayapi.ResolveMergeBackendsConfig(resources),
		PerResourceSystemCASecret:       eg.RuntimeFlags.IsEnabled(egv1a1.PerResourceSystemCASecret),
		RunningOnHost:                   eg.Provider != nil && eg.Provider.IsRunningOnHost(),
		InfraRemotelyManaged:            eg.Provider != nil && eg.Provider.IsInfraManagedRemotely(),
		Logger:                          logger,
		LuaEnvoyExtensionPolicyDisabled: eg.ExtensionAPIs.LuaDisabled(),
	}
	ctx := context.Background()
	result, _ := t.Translate(ctx, resources)

	xds := map[string]any{}
	keys := make([]string, 0, len(result.XdsIR))
	for key := range result.XdsIR {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		// The settings of internal/xds/runner/runner.go.
		xt := &translator.Translator{
			ControllerNamespace: controllerNamespace,
			FilterOrder:         result.XdsIR[key].FilterOrder,
			RuntimeFlags:        eg.RuntimeFlags,
			Logger:              logger,
		}
		if eg.RateLimit != nil {
			xt.GlobalRateLimit = &translator.GlobalRateLimitSettings{
				ServiceURL: ratelimit.GetServiceURL(controllerNamespace, dnsDomain),
				FailClosed: eg.RateLimit.FailClosed,
			}
			if eg.RateLimit.Timeout != nil {
				d, err := time.ParseDuration(string(*eg.RateLimit.Timeout))
				if err != nil {
					return fmt.Errorf("rateLimit.timeout: %w", err)
				}
				xt.GlobalRateLimit.Timeout = d
			}
		}
		table, err := xt.Translate(ctx, result.XdsIR[key])
		if err != nil {
			return fmt.Errorf("xDS of %s: %w", key, err)
		}
		out := map[string][]json.RawMessage{}
		for name, typ := range map[string]resourcev3.Type{"listeners": resourcev3.ListenerType, "routes": resourcev3.RouteType, "clusters": resourcev3.ClusterType} {
			for _, r := range table.XdsResources[typ] {
				b, err := protojson.Marshal(r.(proto.Message))
				if err != nil {
					return err
				}
				out[name] = append(out[name], b)
			}
		}
		xds[key] = out
	}

	// The proxy's Deployment and Service as Envoy Gateway's infrastructure manager makes them. Its
	// owner's UID is read through a client, here one that holds the resources given.
	scheme := runtime.NewScheme()
	if err := gwapiv1.Install(scheme); err != nil {
		return err
	}
	objects := []client.Object{resources.GatewayClass.DeepCopy()}
	for _, g := range resources.Gateways {
		objects = append(objects, g.DeepCopy())
	}
	for _, o := range objects {
		o.SetUID(types.UID("uid-" + o.GetName()))
	}
	infra := &kubernetes.Infra{
		ControllerNamespace: controllerNamespace,
		DNSDomain:           dnsDomain,
		EnvoyGateway:        eg,
		Client:              kubernetes.New(fake.NewClientBuilder().WithScheme(scheme).WithObjects(objects...).Build()),
	}
	proxies := []any{}
	infraKeys := make([]string, 0, len(result.InfraIR))
	for key := range result.InfraIR {
		infraKeys = append(infraKeys, key)
	}
	sort.Strings(infraKeys)
	for _, key := range infraKeys {
		render, err := proxy.NewResourceRender(ctx, infra, result.InfraIR[key])
		if err != nil {
			return fmt.Errorf("proxy infrastructure of %s: %w", key, err)
		}
		deployment, err := render.Deployment()
		if err != nil {
			return fmt.Errorf("proxy Deployment of %s: %w", key, err)
		}
		service, err := render.Service()
		if err != nil {
			return fmt.Errorf("proxy Service of %s: %w", key, err)
		}
		proxies = append(proxies, map[string]any{"key": key, "deployment": deployment, "service": service})
	}

	enc := json.NewEncoder(w)
	return enc.Encode(map[string]any{"resources": result.Resources, "xds": xds, "proxies": proxies})
}
