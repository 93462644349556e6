-- Argo CD health check for the dcos-operator.dev resources (MarathonApp, UniversePackage,
-- UniverseRepository, DcosCluster): the same text serves every kind. It reads the kstatus conditions
-- the operator writes and decides as kstatus does, so Argo CD and Flux's `wait` agree:
--   generation not observed yet -> Progressing   (kstatus InProgress)
--   Stalled=True                -> Degraded      (kstatus Failed)
--   Reconciling=True            -> Progressing   (kstatus InProgress)
--   Ready=True                  -> Healthy       (kstatus Current), or Suspended for a MarathonApp
--                                  scaled to 0 instances
--   Ready=False or Unknown      -> Progressing   (kstatus InProgress)
--   no Ready condition          -> Progressing
-- Argo CD gives argocd-cm scripts the base and table libraries (and a reduced os), not string or math
-- unless resource.customizations.useOpenLibs is set: this script uses base and table only.
local hs = {}

local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c)
  local reason = c.reason or ""
  local message = c.message or ""
  if reason ~= "" and message ~= "" then
    return reason .. ": " .. message
  end
  return reason .. message
end

local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end
local status = obj.status or {}
local observed = status.observedGeneration

-- A new object reads observedGeneration 0 (the CRD defaults it) until the operator's first write.
if observed == nil or (generation ~= nil and observed ~= generation) then
  hs.status = "Progressing"
  if generation ~= nil then
    hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  else
    hs.message = "Waiting for the operator to observe the object"
  end
  return hs
end

local stalled = condition(status.conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

-- Ready carries the reason of every phase (Reconciling says ProgressingWithRetry while retrying).
local ready = condition(status.conditions, "Ready")
local reconciling = condition(status.conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  if ready ~= nil and ready.status ~= "True" then
    hs.message = describe(ready)
  else
    hs.message = describe(reconciling)
  end
  return hs
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for status"
  return hs
end
if ready.status == "True" then
  local instances = nil
  if obj.spec ~= nil then
    instances = obj.spec.instances
  end
  if obj.kind == "MarathonApp" and instances == 0 then
    hs.status = "Suspended"
    hs.message = "Scaled to 0 instances"
    return hs
  end
  hs.status = "Healthy"
  hs.message = ready.message or ""
  return hs
end
hs.status = "Progressing"
hs.message = describe(ready)
return hs
