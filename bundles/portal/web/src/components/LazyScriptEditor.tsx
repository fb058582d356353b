import { lazy, Suspense } from 'react';
import { Input } from 'antd';

const ScriptEditor = lazy(() => import('./ScriptEditor'));

type Props = { value?: string; onChange?: (value: string) => void; height?: string; readOnly?: boolean };

/** Shows a plain text area until CodeMirror has loaded, so the form is usable at once. */
export default function LazyScriptEditor(props: Props) {
  return (
    <Suspense
      fallback={
        <Input.TextArea
          value={props.value}
          rows={12}
          readOnly={props.readOnly}
          onChange={(e) => props.onChange?.(e.target.value)}
        />
      }
    >
      <ScriptEditor {...props} />
    </Suspense>
  );
}
