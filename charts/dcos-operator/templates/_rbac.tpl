{{/*
The operator's permissions, least privilege: no wildcards, one resource per rule, each commented with the
controller that needs it. Watched kinds are read from the informers' caches, so "get" is granted only where
the operator reads one object directly. charts/dcos-operator/README.md lists the same rules as a table; keep both in step.
Children are written with server-side apply (PATCH). The API server authorizes an apply that creates the
object as "create" (kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply), so every kind the
operator brings into existence needs "create" next to "patch".
*/}}

{{/*
Rules on namespaced kinds. In the ClusterRole when watchNamespace is empty, else in a Role in watchNamespace.
*/}}
{{- define "dcos-operator.namespacedRules" -}}
# marathonapp controller: watches apps, sets finalizers. universepackage controller: creates (apply), updates
# and deletes the MarathonApp of each package. Marathon API: creates, changes (read-modify-write: get, update)
# and deletes apps for callers allowed to.
- apiGroups: ["dcos-operator.dev"]
  resources: ["marathonapps"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# universepackage controller: watches packages. Cosmos API: installs (create) and uninstalls (delete) packages.
- apiGroups: ["dcos-operator.dev"]
  resources: ["universepackages"]
  verbs: ["list", "watch", "create", "delete"]
# dcoscluster controller: watches clusters, sets finalizers.
- apiGroups: ["dcos-operator.dev"]
  resources: ["dcosclusters"]
  verbs: ["get", "list", "watch", "patch"]
# marathonapp controller: writes status (server-side apply on the status subresource).
- apiGroups: ["dcos-operator.dev"]
  resources: ["marathonapps/status"]
  verbs: ["patch"]
# universepackage controller: writes status.
- apiGroups: ["dcos-operator.dev"]
  resources: ["universepackages/status"]
  verbs: ["patch"]
# dcoscluster controller: writes status.
- apiGroups: ["dcos-operator.dev"]
  resources: ["dcosclusters/status"]
  verbs: ["patch"]
# marathonapp controller: its children carry blockOwnerDeletion owner references, which the
# OwnerReferencesPermissionEnforcement admission plugin allows only with update on the owner's finalizers.
- apiGroups: ["dcos-operator.dev"]
  resources: ["marathonapps/finalizers"]
  verbs: ["update"]
# universepackage controller: the same for the MarathonApp a package owns.
- apiGroups: ["dcos-operator.dev"]
  resources: ["universepackages/finalizers"]
  verbs: ["update"]
# marathonapp controller: the Deployment of an app (apply; delete when the app moves to a StatefulSet).
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# marathonapp controller: the StatefulSet of an app with persistent volumes (apply; delete when it moves back).
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# marathonapp controller: the Service of an app's port definitions (apply).
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch"]
# marathonapp controller: the volume claims of an app's persistent volumes (apply). Marathon API: a task kill
# with wipe=true deletes the task's claims (Marathon destroyed its reservation).
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# marathonapp controller: the version-history ConfigMap of an app, for rollback (read, apply).
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "create", "patch"]
# marathonapp controller: watches app pods, releases scheduling-gated pods (update), sets deletion costs (patch).
# Marathon API: kills tasks (delete).
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "update", "patch", "delete"]
# every controller records Events (create, patch); the marathonapp controller watches pod Warning events.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["list", "watch", "create", "patch"]
{{- end }}

{{/* Rules on cluster-scoped kinds: always in the ClusterRole. */}}
{{- define "dcos-operator.clusterRules" -}}
# universerepository controller: watches repositories. Cosmos API: repository add (create; patch raises the
# priority of the ones above a new repository's index) and delete.
- apiGroups: ["dcos-operator.dev"]
  resources: ["universerepositories"]
  verbs: ["list", "watch", "create", "patch", "delete"]
# universerepository controller: writes status.
- apiGroups: ["dcos-operator.dev"]
  resources: ["universerepositories/status"]
  verbs: ["patch"]
# Marathon and Cosmos APIs: check callers' tokens (TokenReview) and authorize each call for its caller
# (SubjectAccessReview), so the API grants exactly what RBAC grants the caller.
- apiGroups: ["authentication.k8s.io"]
  resources: ["tokenreviews"]
  verbs: ["create"]
- apiGroups: ["authorization.k8s.io"]
  resources: ["subjectaccessreviews"]
  verbs: ["create"]
# marathonapp controller: places constrained pods on nodes. dcoscluster controller: counts Ready nodes per pool.
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["list", "watch"]
{{- if .Values.localProvider.enabled }}
# built-in AKS emulator, for DcosClusters with provider local (localProvider.enabled): creates (apply) and
# deletes the kwok Nodes of the emulated agent pools.
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["create", "patch", "delete"]
# built-in AKS emulator (localProvider.enabled): writes the capacity of new kwok Nodes.
- apiGroups: [""]
  resources: ["nodes/status"]
  verbs: ["patch"]
{{- end }}
{{- end }}
