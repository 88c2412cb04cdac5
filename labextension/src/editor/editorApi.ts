/**
 * The REST calls of the action editor, over ActionsApi.request (docs/serving.md). No logic:
 * each method is one call.
 */
import { ActionsApi, IAction, ISecretInfo } from '../api';
import { ExecutionJson, Pin } from '../models/execution';
import { JsonObject } from '../models/payload';

export interface IDraft extends IAction {
  code: string;
  dependencies: Pin[];
}

export interface IVersion {
  id: string;
  number: number;
  deployed: boolean;
  code: string;
  status: string;
  message: string | null;
  created_at: string;
}

export interface IDependencies {
  status: string;
  dependencies: Pin[];
}

const enc = encodeURIComponent;

export class EditorApi {
  constructor(readonly api: ActionsApi) {}

  getAction(id: string): Promise<IDraft> {
    return this.api.request<IDraft>(`actions/actions/${enc(id)}`);
  }

  async findAction(name: string): Promise<IDraft> {
    const found = await this.api.request<{ actions: IDraft[] }>(
      `actions/actions?actionName=${enc(name)}&per_page=1`
    );
    const action = found.actions.find(a => a.name === name);
    if (!action) {
      throw new Error(`There is no action named ${name}`);
    }
    return action;
  }

  saveCode(id: string, code: string): Promise<IDraft> {
    return this.patch(id, { code });
  }

  saveDependencies(id: string, dependencies: Pin[]): Promise<IDraft> {
    return this.patch(id, { dependencies });
  }

  deploy(id: string, message: string): Promise<IVersion> {
    const body = message.trim() ? JSON.stringify({ message: message.trim() }) : undefined;
    return this.api.request<IVersion>(`actions/actions/${enc(id)}/deploy`, { method: 'POST', body });
  }

  async test(id: string, payload: JsonObject): Promise<ExecutionJson> {
    const answer = await this.api.request<{ payload: ExecutionJson }>(`actions/actions/${enc(id)}/test`, {
      method: 'POST',
      body: JSON.stringify({ payload })
    });
    return answer.payload;
  }

  async sample(triggerId: string): Promise<JsonObject> {
    return (await this.api.request<{ payload: JsonObject }>(`jupyter-actions/triggers/${enc(triggerId)}/sample`)).payload;
  }

  async versions(id: string): Promise<IVersion[]> {
    const found: IVersion[] = [];
    for (let page = 0; ; page++) {
      const answer = await this.api.request<{ versions: IVersion[]; total: number }>(
        `actions/actions/${enc(id)}/versions?page=${page}&per_page=100`
      );
      found.push(...answer.versions);
      if (answer.versions.length < 100 || found.length >= answer.total) {
        return found;
      }
    }
  }

  rollback(id: string, versionId: string): Promise<IVersion> {
    return this.api.request<IVersion>(`actions/actions/${enc(id)}/versions/${enc(versionId)}/deploy`, {
      method: 'POST',
      body: '{}'
    });
  }

  async secrets(id: string): Promise<ISecretInfo[]> {
    return (await this.api.request<{ secrets: ISecretInfo[] }>(`jupyter-actions/actions/${enc(id)}/secrets`)).secrets;
  }

  /** Write-only: the answer (name and time) is dropped; the caller reloads the names. */
  async setSecret(id: string, name: string, value: string): Promise<void> {
    await this.api.request(`jupyter-actions/actions/${enc(id)}/secrets/${enc(name)}`, {
      method: 'PUT',
      body: JSON.stringify({ value })
    });
  }

  async deleteSecret(id: string, name: string): Promise<void> {
    await this.api.request(`jupyter-actions/actions/${enc(id)}/secrets/${enc(name)}`, { method: 'DELETE' });
  }

  dependencies(id: string): Promise<IDependencies> {
    return this.api.request<IDependencies>(`jupyter-actions/actions/${enc(id)}/dependencies`);
  }

  async cell(id: string): Promise<string> {
    return (await this.api.request<{ source: string }>(`jupyter-actions/actions/${enc(id)}/cell`)).source;
  }

  private patch(id: string, body: object): Promise<IDraft> {
    return this.api.request<IDraft>(`actions/actions/${enc(id)}`, { method: 'PATCH', body: JSON.stringify(body) });
  }
}
