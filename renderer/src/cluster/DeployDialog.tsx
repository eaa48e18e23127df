// Deploying carpd to a node: the config as JSON, typed or loaded from a file, checked here before it is sent
// (the node validates it again with carpd --check before anything is restarted).
import { useState, type FormEvent } from 'react';
import { Dialog } from './Dialog.js';

export function configProblem(text: string): string | null {
  if (text.trim() === '') return 'The config is empty: paste carpd\'s JSON config or load it from a file.';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return `The config is not valid JSON (${e instanceof Error ? e.message : String(e)}). Fix the text or load the file again.`;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'The config must be a JSON object such as {"node": "fw1", "vhids": [...]}.';
  return null;
}

export function DeployDialog({ node, onDeploy, onCancel }: { node: string; onDeploy(config: string, configName?: string): void; onCancel(): void }) {
  const [text, setText] = useState('');
  const [name, setName] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async (file: File | undefined) => {
    if (!file) return;
    setText(await file.text());
    setName(file.name);
    setProblem(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = configProblem(text);
    setProblem(p);
    if (!p) onDeploy(text, name);
  };

  return (
    <Dialog title={`Deploy carpd to ${node}`} onCancel={onCancel}>
      <form onSubmit={submit} className="deploy-form">
        <p className="hint">Installs carpd (with its own runtime: the node needs no Node.js), writes this config, checks it on the node, and (re)starts carpd. A repeat deploy only sends what changed.</p>
        <label>
          Config file
          <input type="file" accept=".json,application/json" onChange={(e) => void load(e.target.files?.[0])} />
        </label>
        <label>
          carpd config (JSON)
          <textarea
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setName(undefined);
            }}
            rows={12}
            spellCheck={false}
            placeholder='{"node": "fw1", "vhids": [{"vhid": 1, "interface": "lan", "advskew": 0, "password": "…", "vips": ["10.0.1.1/24"]}]}'
            data-autofocus
          />
        </label>
        {problem && (
          <p className="form-errors" role="alert">
            {problem}
          </p>
        )}
        <div className="cluster-dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            Deploy to {node}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
