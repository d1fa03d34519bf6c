{{/* Common labels of every object of the release. */}}
{{- define "tellonce.labels" -}}
app.kubernetes.io/part-of: tellonce
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one service: call with (dict "root" $ "name" $name). */}}
{{- define "tellonce.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The name label of one service (added to "tellonce.labels" on its objects). */}}
{{- define "tellonce.name" -}}
app.kubernetes.io/name: {{ .name }}
{{- end -}}

{{/* The full name of one service's objects. */}}
{{- define "tellonce.fullname" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tellonce.serviceAccountName" -}}
{{- default (printf "%s-tellonce" .Release.Name) .Values.serviceAccount.name -}}
{{- end -}}

{{/* A namespace/pod selector peer for NetworkPolicies: call with (dict "namespace" ns "labels" map). */}}
{{- define "tellonce.peer" -}}
- podSelector:
    matchLabels:
      {{- toYaml .labels | nindent 6 }}
  {{- if .namespace }}
  namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .namespace }}
  {{- end }}
{{- end -}}
