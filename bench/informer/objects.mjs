// The objects of the informer benchmark: a Pod-like custom resource, shaped as a Pod of a
// Deployment is served by a 1.3x API server (kube-controller-manager created it, the scheduler
// bound it, the kubelet reports its status), `metadata.managedFields` included, with that layout:
// one Update entry per manager, FieldsV1 sets keyed `f:<field>` and `k:{<list key>}`.

/** The group, version and resource of the bench's objects. */
export const GROUP = "bench.example.com";
export const VERSION = "v1";
export const PLURAL = "things";
export const NAMESPACE = "bench";
export const PATH = `/apis/${GROUP}/${VERSION}/namespaces/${NAMESPACE}/${PLURAL}`;

const hex = (n, width) => n.toString(16).padStart(width, "0").slice(-width);
const uid = (i, salt) => `${hex(salt, 8)}-${hex(i >> 16, 4)}-4${hex(i, 3)}-8${hex(i * 7, 3)}-${hex(i * 2654435761, 12)}`;
const fields = (...names) => Object.fromEntries(names.map((n) => [`f:${n}`, {}]));
const condition = (type, status, time) => ({ type, status, lastProbeTime: null, lastTransitionTime: time });

/** Replica sets the pods belong to (100), each with its own template hash, owner uid and image. */
function replicaSet(i) {
  const r = i % 100;
  return { r, hash: hex(0x5d8f7c9b4 + r * 977, 10).replace(/^0+/, "") || "0", uid: uid(r, 0x1a2b3c4d), image: `registry.example.com/shop/app-${r % 10}:v1.${r}.0` };
}

/** Object `i` at resourceVersion `rv`: about 4.7 KB of JSON, a third of it managedFields. */
export function makeObject(i, rv) {
  const rs = replicaSet(i);
  const node = `worker-${String(i % 50).padStart(2, "0")}`;
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const created = `2026-11-01T10:${String(i % 60).padStart(2, "0")}:00Z`;
  const started = `2026-11-01T10:${String(i % 60).padStart(2, "0")}:04Z`;
  const podName = `app-${rs.r}-${rs.hash}-${hex(i * 48271, 5)}`;
  const saVolume = `kube-api-access-${hex(i * 16807, 5)}`;
  return {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: "Thing",
    metadata: {
      name: podName,
      generateName: `app-${rs.r}-${rs.hash}-`,
      namespace: NAMESPACE,
      uid: uid(i, 0x7e57ab1e),
      resourceVersion: String(rv),
      creationTimestamp: created,
      labels: { app: `app-${rs.r % 10}`, "pod-template-hash": rs.hash, "app.kubernetes.io/part-of": "shop" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: `app-${rs.r}-${rs.hash}`, uid: rs.uid, controller: true, blockOwnerDeletion: true }],
      managedFields: [
        {
          manager: "kube-controller-manager",
          operation: "Update",
          apiVersion: `${GROUP}/${VERSION}`,
          time: created,
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": {
              "f:generateName": {},
              "f:labels": { ".": {}, "f:app": {}, "f:app.kubernetes.io/part-of": {}, "f:pod-template-hash": {} },
              "f:ownerReferences": { ".": {}, [`k:{"uid":"${rs.uid}"}`]: {} },
            },
            "f:spec": {
              "f:containers": {
                'k:{"name":"app"}': {
                  ".": {},
                  ...fields("image", "imagePullPolicy", "name"),
                  "f:ports": { ".": {}, 'k:{"containerPort":8080,"protocol":"TCP"}': { ".": {}, ...fields("containerPort", "name", "protocol") } },
                  "f:resources": { ".": {}, "f:limits": { ".": {}, ...fields("cpu", "memory") }, "f:requests": { ".": {}, ...fields("cpu", "memory") } },
                  ...fields("terminationMessagePath", "terminationMessagePolicy"),
                },
              },
              ...fields("dnsPolicy", "enableServiceLinks", "restartPolicy", "schedulerName", "securityContext", "terminationGracePeriodSeconds"),
            },
          },
        },
        {
          manager: "kubelet",
          operation: "Update",
          apiVersion: `${GROUP}/${VERSION}`,
          time: started,
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:status": {
              "f:conditions": Object.fromEntries(["ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready"].map((t) => [`k:{"type":"${t}"}`, { ".": {}, ...fields("lastProbeTime", "lastTransitionTime", "status", "type") }])),
              ...fields("containerStatuses", "hostIP", "hostIPs", "phase", "podIP"),
              "f:podIPs": { ".": {}, [`k:{"ip":"${ip}"}`]: { ".": {}, "f:ip": {} } },
              "f:startTime": {},
            },
          },
          subresource: "status",
        },
      ],
    },
    spec: {
      containers: [
        {
          name: "app",
          image: rs.image,
          imagePullPolicy: "IfNotPresent",
          ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
          resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
          terminationMessagePath: "/dev/termination-log",
          terminationMessagePolicy: "File",
          volumeMounts: [{ name: saVolume, readOnly: true, mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }],
        },
      ],
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      serviceAccountName: "default",
      serviceAccount: "default",
      nodeName: node,
      securityContext: {},
      schedulerName: "default-scheduler",
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
      volumes: [
        {
          name: saVolume,
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
              { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
            ],
            defaultMode: 420,
          },
        },
      ],
    },
    status: {
      phase: "Running",
      conditions: [
        condition("PodReadyToStartContainers", "True", started),
        condition("Initialized", "True", created),
        condition("Ready", "True", started),
        condition("ContainersReady", "True", started),
        condition("PodScheduled", "True", created),
      ],
      hostIP: `172.18.0.${(i % 50) + 2}`,
      hostIPs: [{ ip: `172.18.0.${(i % 50) + 2}` }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: created,
      containerStatuses: [
        {
          name: "app",
          state: { running: { startedAt: started } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: rs.image,
          imageID: `${rs.image.split(":")[0]}@sha256:${hex(rs.r * 0x9e3779b1, 8).repeat(8)}`,
          containerID: `containerd://${hex(i * 0x2545f491, 8).repeat(8)}`,
          started: true,
        },
      ],
      qosClass: "Burstable",
    },
  };
}

/** The same object as a metadata-only request gets it (`as=PartialObjectMetadata`). */
export function metadataOf(obj) {
  return { apiVersion: "meta.k8s.io/v1", kind: "PartialObjectMetadata", metadata: obj.metadata };
}
