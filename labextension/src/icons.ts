import { LabIcon } from '@jupyterlab/ui-components';

import actionsSvg from '../style/icons/actions.svg';

export const actionsIcon = new LabIcon({ name: 'jupyter-actions:actions', svgstr: actionsSvg });
